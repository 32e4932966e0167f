package cedm.cli;

import cedm.activity.StageProgress;
import cedm.runtime.SweepClient.RunningStage;
import cedm.workflow.StageReport;
import cedm.workflow.StageState;
import cedm.workflow.SweepStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Renders a sweep's stages as a table, with a progress bar for running stages. */
final class StatusView {
  private static final int BAR = 24;

  private StatusView() {}

  static List<String> lines(SweepStatus status, List<RunningStage> running) {
    List<String> lines = new ArrayList<>();
    lines.add("sweep " + status.sweepId() + ": " + status.phase());
    for (StageReport stage : status.stages()) {
      lines.add(line(stage, running));
    }
    return lines;
  }

  static String line(StageReport stage, List<RunningStage> running) {
    String state = stage.state() == StageState.DONE && stage.reused() ? "reused" : stage.state().name().toLowerCase(Locale.ROOT);
    StringBuilder s = new StringBuilder(String.format(Locale.ROOT, "  %-12s %-8s", stage.stage(), state));
    if (stage.state() == StageState.RUNNING) {
      running.stream().filter(r -> r.stage().equals(stage.stage())).findFirst().ifPresent(r -> {
        if (r.progress() != null) {
          s.append(' ').append(bar(r.progress()));
        }
        if (r.lastFailure() != null) {
          s.append(" (attempt ").append(r.attempt()).append(", last failure: ").append(r.lastFailure()).append(')');
        }
      });
    } else if (stage.state() != StageState.PENDING) {
      s.append(String.format(Locale.ROOT, " %7.1fs", stage.seconds()));
      if (stage.artifactId() != null) {
        s.append("  ").append(stage.stage()).append('/').append(stage.artifactId());
      }
      if (!stage.summary().isEmpty()) {
        s.append("  ").append(stage.summary());
      }
    }
    return s.toString().stripTrailing();
  }

  static String bar(StageProgress p) {
    double fraction = p.total() <= 0 ? 0 : Math.min(1, (double) p.done() / p.total());
    int filled = (int) Math.round(fraction * BAR);
    return "[" + "#".repeat(filled) + "-".repeat(BAR - filled) + "] "
        + p.done() + "/" + p.total() + " " + p.unit();
  }
}
