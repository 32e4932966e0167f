package cedm.workflow;

import cedm.activity.DatasetActivities;
import cedm.activity.DatasetArtifact;
import cedm.activity.DatasetRequest;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.workflow.Workflow;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * The sweep, in the paper's order. Each stage is an activity that returns an artifact id; the
 * store memoises them, so a re-submitted sweep skips every finished stage.
 */
public final class SweepWorkflowImpl implements SweepWorkflow {
  static final String DATASET = "dataset";

  private String sweepId;
  private String phase = "starting";
  private final List<StageReport> stages = new ArrayList<>();

  @Override
  public SweepResult run(SweepRequest request) {
    sweepId = request.sweepId();
    stages.add(StageReport.pending(DATASET));
    DatasetActivities datasets =
        Workflow.newActivityStub(DatasetActivities.class, StageOptions.cpu(request.spec().runtime()));

    DatasetArtifact dataset = stage(DATASET,
        () -> datasets.importDataset(new DatasetRequest(request.spec().dataset(), request.spec().seed())),
        DatasetArtifact::artifactId, DatasetArtifact::reused, DatasetArtifact::describe);

    phase = "done";
    return new SweepResult(sweepId, List.copyOf(stages), dataset);
  }

  @Override
  public SweepStatus status() {
    return new SweepStatus(sweepId, phase, List.copyOf(stages));
  }

  private <T> T stage(String name, Supplier<T> work, java.util.function.Function<T, String> id,
      java.util.function.Predicate<T> reused, java.util.function.Function<T, String> summary) {
    phase = name;
    long started = Workflow.currentTimeMillis();
    update(new StageReport(name, StageState.RUNNING, null, false, 0, ""));
    try {
      T result = work.get();
      double seconds = (Workflow.currentTimeMillis() - started) / 1000.0;
      update(new StageReport(name, StageState.DONE, id.apply(result), reused.test(result), seconds, summary.apply(result)));
      return result;
    } catch (ActivityFailure failure) {
      String reason = rootMessage(failure);
      double seconds = (Workflow.currentTimeMillis() - started) / 1000.0;
      update(new StageReport(name, StageState.FAILED, null, false, seconds, reason));
      phase = "failed in " + name;
      throw ApplicationFailure.newNonRetryableFailure("stage " + name + " failed: " + reason, "StageFailed");
    }
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

  static String rootMessage(Throwable failure) {
    Throwable t = failure;
    while (t.getCause() != null) {
      t = t.getCause();
    }
    return t instanceof ApplicationFailure app ? app.getOriginalMessage() : t.getMessage();
  }
}
