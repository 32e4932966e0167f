package cedm.workflow;

import cedm.activity.ClusteringActivities;
import cedm.activity.ClusteringArtifact;
import cedm.activity.ClusteringRequest;
import cedm.activity.EvaluationActivities;
import cedm.activity.EvaluationArtifact;
import cedm.activity.EvaluationRequest;
import cedm.activity.RunLabels;
import cedm.activity.TrainingActivities;
import cedm.activity.TrainingArtifact;
import cedm.activity.TrainingRequest;
import cedm.activity.TrainingRequest.Conditioning;
import io.temporal.workflow.Workflow;

/**
 * A grid point's chain: its labels (clusters, the dataset's labels, or none), an EDM model trained
 * on them, and the model's FID (and FDD) over the spec's sample sets.
 */
public final class TrialWorkflowImpl implements TrialWorkflow {
  private static final String TRAINING = "edm-training";
  private static final String EVALUATION = "evaluation";

  @Override
  public TrialResult run(TrialRequest request) {
    GridPoint point = request.point();
    // Baselines have no C of their own: they stay off the metrics' C axis.
    RunLabels run = new RunLabels(request.sweepId(), point.id(),
        point.kind() == GridPoint.Kind.CLUSTERS ? point.clusters() : 0);
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
            point.clusters(), request.spec().clustering(), request.spec().seed(), run));
        labels = assignments.describe();
        conditioning = Conditioning.CLUSTERS;
      }
    }
    if (Workflow.getVersion(TRAINING, Workflow.DEFAULT_VERSION, 1) == Workflow.DEFAULT_VERSION) {
      return new TrialResult(point, TrialState.DONE, assignments, null, null,
          labels + "; started before EDM training existed");
    }
    TrainingActivities training = Workflow.newActivityStub(TrainingActivities.class,
        StageOptions.training(request.spec().runtime()));
    TrainingArtifact model = training.train(new TrainingRequest(request.datasetId(), conditioning,
        assignments == null ? null : assignments.artifactId(), request.spec().training(), request.spec().seed(),
        run));
    String trained = labels + "; " + model.describe();
    if (Workflow.getVersion(EVALUATION, Workflow.DEFAULT_VERSION, 1) == Workflow.DEFAULT_VERSION) {
      return new TrialResult(point, TrialState.DONE, assignments, model, null,
          trained + "; started before evaluation existed");
    }
    EvaluationActivities evaluation = Workflow.newActivityStub(EvaluationActivities.class,
        StageOptions.gpu(request.spec().runtime()));
    EvaluationArtifact scores = evaluation.evaluate(new EvaluationRequest(model.artifactId(), request.datasetId(),
        request.spec().evaluation(), run));
    return new TrialResult(point, TrialState.DONE, assignments, model, scores, trained + "; " + scores.describe());
  }
}
