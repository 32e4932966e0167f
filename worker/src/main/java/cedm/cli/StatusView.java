package cedm.cli;

import cedm.report.DeviceTime;
import cedm.runtime.SweepClient.RunningStage;
import cedm.spec.EvaluationSpec.Result;
import cedm.stage.EvaluationArtifact;
import cedm.stage.StageProgress;
import cedm.workflow.Probe;
import cedm.workflow.RungDecision;
import cedm.workflow.RungScore;
import cedm.workflow.StageReport;
import cedm.workflow.StageState;
import cedm.workflow.SweepStatus;
import cedm.workflow.TrialResult;
import cedm.workflow.TrialState;
import cedm.workflow.TrialWorkflow;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Renders a sweep's stages as a table, with a progress bar for running stages. */
final class StatusView {
  private static final int BAR = 24;

  private StatusView() {}

  static List<String> lines(SweepStatus status, List<Probe> searchSoFar, List<RunningStage> running) {
    List<String> lines = new ArrayList<>();
    lines.add("sweep " + status.sweepId() + ": " + status.describePhase());
    for (StageReport stage : status.stages()) {
      lines.add(line(stage, running));
    }
    List<Probe> evidence = status.evidence().isEmpty() ? searchSoFar : status.evidence();
    if (!evidence.isEmpty()) {
      lines.addAll(evidence(evidence, status.cMax()));
    }
    if (!status.trials().isEmpty()) {
      lines.addAll(trials(status.sweepId(), status.trials(), running));
    }
    status.rungs().forEach(d -> lines.addAll(rung(d)));
    for (RunningStage r : running) {
      boolean sweepStage = status.stages().stream().anyMatch(st -> st.stage().equals(r.stage()));
      boolean trialStage = status.trials().stream().anyMatch(t -> belongsTo(r, status.sweepId(), t));
      if (r.progress() != null && !sweepStage && !trialStage) {
        lines.add("  probing " + r.label() + " " + bar(r.progress()));
      }
    }
    return lines;
  }

  /** The C_max search's probes, in order, as in the paper's Fig. 3 table. */
  static List<String> evidence(List<Probe> evidence, Integer cMax) {
    List<String> lines = new ArrayList<>();
    lines.add("C_max search" + (cMax == null ? " (running)" : ": C_max = " + cMax));
    lines.add(String.format(Locale.ROOT, "  %6s %7s %6s %7s %10s  %s", "C", "r_C", "used", "KL", "loss", "artifact"));
    for (Probe p : evidence) {
      lines.add(String.format(Locale.ROOT, "  %6d %7.3f %6d %7.3f %10.4f  clustering/%s%s", p.clusters(), p.utilisation(),
          p.used(), p.klFromUniform(), p.objective(), p.artifactId(), p.reused() ? " (reused)" : ""));
    }
    return lines;
  }

  /** One line per grid point. */
  static List<String> trials(String sweepId, List<TrialResult> trials, List<RunningStage> running) {
    List<String> lines = new ArrayList<>();
    lines.add("grid");
    for (TrialResult t : trials) {
      StringBuilder s = new StringBuilder(String.format(Locale.ROOT, "  %-16s %-8s", t.point().id(),
          t.state().name().toLowerCase(Locale.ROOT)));
      if (t.state() == TrialState.RUNNING) {
        running.stream().filter(r -> belongsTo(r, sweepId, t)).findFirst().ifPresent(r -> {
          s.append(' ').append(r.activityType());
          if (r.progress() != null) {
            s.append(' ').append(bar(r.progress()));
          }
          if (r.started()) {
            s.append(" on ").append(r.worker());
          }
          if (r.waiting() != null) {
            s.append(' ').append(r.waiting().describe());
          }
          if (r.lastFailure() != null) {
            s.append(" (").append(attempt(r)).append(", last failure: ").append(r.lastFailure()).append(')');
          }
        });
      } else if (!t.note().isEmpty()) {
        s.append(' ').append(t.note());
      }
      lines.add(s.toString().stripTrailing());
      if (!t.curve().isEmpty()) {
        lines.add("    FID by kimg: " + String.join(", ", t.curve().stream()
            .map(p -> String.format(Locale.ROOT, "%.1f: %.2f", p.kimg(), p.meanFid())).toList()));
      }
    }
    return lines;
  }

  /** A rung's decision: every point compared, best first, with its mean FID +- standard error and what became of it. */
  static List<String> rung(RungDecision d) {
    List<String> lines = new ArrayList<>();
    lines.add(String.format(Locale.ROOT, "rung %d, %s, at %.1f kimg: %d continue, %d stop", d.rung() + 1,
        d.method().id(), d.kimg(), d.kept().size(), d.stopped().size()));
    for (RungScore s : d.scores()) {
      lines.add(s.scored()
          ? String.format(Locale.ROOT, "  %-16s %8.2f +- %5.2f  %s", s.pointId(), s.mean(), d.standardError(s),
              d.outcome(s))
          : String.format(Locale.ROOT, "  %-16s %17s  %s", s.pointId(), "-", d.outcome(s)));
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
        if (r.waiting() != null) {
          s.append(' ').append(r.waiting().describe());
        }
        if (r.lastFailure() != null) {
          s.append(" (").append(attempt(r)).append(", last failure: ").append(r.lastFailure()).append(')');
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

  /** The sweep's device time per stage and per grid point, from the store's ledger. */
  static List<String> deviceTime(DeviceTime time) {
    List<String> lines = new ArrayList<>();
    if (time.isEmpty()) {
      return lines;
    }
    lines.add("device time (GPU-hours, and hours of CPU slots standing in for GPUs; every attempt counts)");
    lines.add(String.format(Locale.ROOT, "  %-16s %9s %11s %9s", "stage", "GPU h", "CPU-slot h", "attempts"));
    time.byStage().forEach((stage, h) -> lines.add(hours(stage, h)));
    lines.add(hours("total", time.total()));
    if (!time.byPoint().isEmpty()) {
      lines.add(String.format(Locale.ROOT, "  %-16s %9s %11s %9s", "point", "GPU h", "CPU-slot h", "attempts"));
      time.byPoint().forEach((point, h) -> lines.add(hours(point, h)));
    }
    return lines;
  }

  private static String hours(String what, DeviceTime.Hours h) {
    return String.format(Locale.ROOT, "  %-16s %9.4f %11.4f %9d", what, h.gpu(), h.cpuSlots(), h.attempts());
  }

  /** "attempt 3 of 10", or "attempt 3" when attempts are unlimited. */
  static String attempt(RunningStage r) {
    return "attempt " + r.attempt() + (r.maxAttempts() > 0 ? " of " + r.maxAttempts() : "");
  }

  /** A stage of a trial runs in the trial's own workflow. */
  static boolean belongsTo(RunningStage r, String sweepId, TrialResult trial) {
    return r.workflowId().equals(TrialWorkflow.workflowId(sweepId, trial.point()));
  }

  /** The paper's results table: FID mean +- std and minimum over the sample sets, then every other result, per point. */
  static List<String> scores(List<TrialResult> trials) {
    List<TrialResult> scored = trials.stream().filter(t -> t.evaluation() != null).toList();
    if (scored.isEmpty()) {
      return List.of();
    }
    boolean proxy = scored.stream().anyMatch(t -> t.evaluation().proxy());
    List<String> others = scored.stream().flatMap(t -> t.evaluation().scores().keySet().stream())
        .filter(r -> !r.equals(Result.FID.id())).distinct().toList();
    List<String> lines = new ArrayList<>();
    lines.add("scores" + (proxy ? " (proxy: the builtin network is not pre-trained; compare points with each other, "
        + "not with papers)" : ""));
    StringBuilder head = new StringBuilder(String.format(Locale.ROOT, "  %-16s %22s %9s", "point",
        EvaluationArtifact.displayName(Result.FID.id(), proxy) + " mean +- std", "min"));
    others.forEach(r -> head.append(String.format(Locale.ROOT, " %22s", EvaluationArtifact.displayName(r, proxy))));
    lines.add(head.toString());
    double best = scored.stream().mapToDouble(t -> EvaluationArtifact.Summary.of(t.evaluation().fid()).mean()).min()
        .orElse(Double.NaN);
    for (TrialResult t : scored) {
      EvaluationArtifact.Summary f = EvaluationArtifact.Summary.of(t.evaluation().fid());
      StringBuilder row = new StringBuilder(String.format(Locale.ROOT, "  %-16s %13.2f +- %6.2f %9.2f",
          t.point().id(), f.mean(), f.std(), f.min()));
      for (String r : others) {
        List<Double> values = t.evaluation().result(r);
        row.append(String.format(Locale.ROOT, " %22s",
            values.isEmpty() ? "-" : EvaluationArtifact.meanStd(r, EvaluationArtifact.Summary.of(values))));
      }
      lines.add(row + (f.mean() == best ? "  <- best" : ""));
    }
    return lines;
  }

  static String bar(StageProgress p) {
    double fraction = p.total() <= 0 ? 0 : Math.min(1, (double) p.done() / p.total());
    int filled = (int) Math.round(fraction * BAR);
    return "[" + "#".repeat(filled) + "-".repeat(BAR - filled) + "] "
        + p.done() + "/" + p.total() + " " + p.unit() + (p.detail() == null ? "" : ", " + p.detail());
  }
}
