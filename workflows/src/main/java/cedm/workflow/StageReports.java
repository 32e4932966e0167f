package cedm.workflow;

import cedm.spec.RuntimeSpec;
import cedm.stage.StageOutput;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.workflow.Workflow;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/** The sweep's phase and the report of each of its stages, kept current for status queries. */
final class StageReports {
  private final RuntimeSpec runtime;
  private final List<StageReport> stages;
  private SweepPhase phase = SweepPhase.STARTING;

  StageReports(RuntimeSpec runtime, List<StageReport> carried) {
    this.runtime = runtime;
    this.stages = new ArrayList<>(carried);
  }

  SweepPhase phase() {
    return phase;
  }

  void enter(SweepPhase next) {
    phase = next;
  }

  List<StageReport> all() {
    return List.copyOf(stages);
  }

  /** Runs one stage; a failure ends the sweep with the stage's cause. */
  <T extends StageOutput> T run(SweepPhase stage, Supplier<T> work) {
    long started = running(stage);
    try {
      T result = work.get();
      update(new StageReport(stage.id(), StageState.DONE, result.artifactId(), result.reused(), secondsSince(started),
          result.describe()));
      return result;
    } catch (ActivityFailure failure) {
      throw failed(stage, started, FailureCause.of(failure, runtime));
    }
  }

  /** The stage runs from now; returns when it started. */
  long running(SweepPhase stage) {
    phase = stage;
    update(new StageReport(stage.id(), StageState.RUNNING, null, false, 0, ""));
    return Workflow.currentTimeMillis();
  }

  void done(SweepPhase stage, long started, boolean reused, String summary) {
    update(new StageReport(stage.id(), StageState.DONE, null, reused, secondsSince(started), summary));
  }

  /** The stage failed: its report says why, and the returned failure ends the sweep. */
  ApplicationFailure failed(SweepPhase stage, long started, String reason) {
    update(new StageReport(stage.id(), StageState.FAILED, null, false, secondsSince(started), reason));
    phase = SweepPhase.FAILED;
    return ApplicationFailure.newNonRetryableFailure("stage " + stage.id() + " failed: " + reason, "StageFailed");
  }

  void pending(SweepPhase stage) {
    stages.add(StageReport.pending(stage.id()));
  }

  private static double secondsSince(long started) {
    return (Workflow.currentTimeMillis() - started) / 1000.0;
  }

  private void update(StageReport report) {
    for (int i = 0; i < stages.size(); i++) {
      if (stages.get(i).stage().equals(report.stage())) {
        stages.set(i, report);
        return;
      }
    }
    stages.add(report);
  }
}
