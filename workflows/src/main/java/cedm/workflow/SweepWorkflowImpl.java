package cedm.workflow;

import cedm.activity.DatasetActivities;
import cedm.activity.DatasetArtifact;
import cedm.activity.DatasetRequest;
import cedm.activity.FeatureActivities;
import cedm.activity.FeaturesArtifact;
import cedm.activity.FeaturesRequest;
import cedm.activity.KnnActivities;
import cedm.activity.KnnArtifact;
import cedm.activity.KnnRequest;
import cedm.activity.StageOutput;
import cedm.spec.ExperimentSpec;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.workflow.Workflow;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * The sweep, in the paper's order (Sec. 3). Each stage is an activity that returns an artifact
 * id; the store memoises them, so a re-submitted sweep skips every finished stage.
 */
public final class SweepWorkflowImpl implements SweepWorkflow {
  static final String DATASET = "dataset";
  static final String FEATURES = "features";
  static final String KNN = "knn";

  private String sweepId;
  private String phase = "starting";
  private final List<StageReport> stages = new ArrayList<>();

  @Override
  public SweepResult run(SweepRequest request) {
    sweepId = request.sweepId();
    ExperimentSpec spec = request.spec();
    for (String stage : List.of(DATASET, FEATURES, KNN)) {
      stages.add(StageReport.pending(stage));
    }
    DatasetActivities datasets = Workflow.newActivityStub(DatasetActivities.class, StageOptions.cpu(spec.runtime()));
    FeatureActivities features = Workflow.newActivityStub(FeatureActivities.class, StageOptions.gpu(spec.runtime()));
    KnnActivities knn = Workflow.newActivityStub(KnnActivities.class, StageOptions.cpu(spec.runtime()));

    DatasetArtifact dataset = stage(DATASET,
        () -> datasets.importDataset(new DatasetRequest(spec.dataset(), spec.seed())));
    FeaturesArtifact embeddings = stage(FEATURES,
        () -> features.extractFeatures(new FeaturesRequest(dataset.artifactId(), spec.features(), spec.seed())));
    KnnArtifact neighbours = stage(KNN,
        () -> knn.mineNeighbours(new KnnRequest(embeddings.artifactId(), spec.features().knn())));

    phase = "done";
    return new SweepResult(sweepId, List.copyOf(stages), dataset, embeddings, neighbours);
  }

  @Override
  public SweepStatus status() {
    return new SweepStatus(sweepId, phase, List.copyOf(stages));
  }

  /** Runs one stage, keeping its report current for queries; a failure ends the sweep. */
  private <T extends StageOutput> T stage(String name, Supplier<T> work) {
    phase = name;
    long started = Workflow.currentTimeMillis();
    update(new StageReport(name, StageState.RUNNING, null, false, 0, ""));
    try {
      T result = work.get();
      update(new StageReport(name, StageState.DONE, result.artifactId(), result.reused(), secondsSince(started),
          result.describe()));
      return result;
    } catch (ActivityFailure failure) {
      String reason = rootMessage(failure);
      update(new StageReport(name, StageState.FAILED, null, false, secondsSince(started), reason));
      phase = "failed in " + name;
      throw ApplicationFailure.newNonRetryableFailure("stage " + name + " failed: " + reason, "StageFailed");
    }
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

  static String rootMessage(Throwable failure) {
    Throwable t = failure;
    while (t.getCause() != null) {
      t = t.getCause();
    }
    return t instanceof ApplicationFailure app ? app.getOriginalMessage() : t.getMessage();
  }
}
