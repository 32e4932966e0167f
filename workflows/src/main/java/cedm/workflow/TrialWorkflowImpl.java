package cedm.workflow;

import cedm.activity.ClusteringActivities;
import cedm.activity.ClusteringArtifact;
import cedm.activity.ClusteringRequest;
import cedm.activity.TrainingActivities;
import cedm.activity.TrainingArtifact;
import cedm.activity.TrainingRequest;
import cedm.activity.TrainingRequest.Conditioning;
import io.temporal.workflow.Workflow;

/**
 * A grid point's chain: its labels (clusters, the dataset's labels, or none), then an EDM model
 * trained on them. Evaluation is not part of cedm yet (issue 7): the trial says so in its result.
 */
public final class TrialWorkflowImpl implements TrialWorkflow {
  static final String NOT_YET = "; evaluation is not implemented yet";
  private static final String TRAINING = "edm-training";

  @Override
  public TrialResult run(TrialRequest request) {
    GridPoint point = request.point();
    ClusteringArtifact assignments = null;
    String labels;
    Conditioning conditioning;
    switch (point.kind()) {
      case UNCONDITIONAL -> {
        labels = "unconditional baseline: no labels";
        conditioning = Conditioning.UNCONDITIONAL;
      }
      case GROUND_TRUTH -> {
        labels = "ground-truth baseline: the labels of dataset " + request.datasetId();
        conditioning = Conditioning.DATASET_LABELS;
      }
      default -> {
        ClusteringActivities clustering = Workflow.newActivityStub(ClusteringActivities.class,
            StageOptions.gpu(request.spec().runtime()));
        assignments = clustering.cluster(new ClusteringRequest(request.featuresId(), request.knnId(), point.method(),
            point.clusters(), request.spec().clustering(), request.spec().seed()));
        labels = assignments.describe();
        conditioning = Conditioning.CLUSTERS;
      }
    }
    if (Workflow.getVersion(TRAINING, Workflow.DEFAULT_VERSION, 1) == Workflow.DEFAULT_VERSION) {
      return new TrialResult(point, TrialState.DONE, assignments, null, labels + "; started before EDM training existed");
    }
    TrainingActivities training = Workflow.newActivityStub(TrainingActivities.class,
        StageOptions.gpu(request.spec().runtime()));
    TrainingArtifact model = training.train(new TrainingRequest(request.datasetId(), conditioning,
        assignments == null ? null : assignments.artifactId(), request.spec().training(), request.spec().seed(),
        point.id()));
    return new TrialResult(point, TrialState.DONE, assignments, model, labels + "; " + model.describe() + NOT_YET);
  }
}
