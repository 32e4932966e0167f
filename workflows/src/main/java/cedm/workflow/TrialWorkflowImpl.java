package cedm.workflow;

import cedm.activity.ClusteringActivities;
import cedm.activity.ClusteringArtifact;
import cedm.activity.ClusteringRequest;
import io.temporal.workflow.Workflow;

/**
 * A grid point's chain. Training and evaluation are not part of cedm yet (issues 6 and 7): the
 * trial ends after its assignments and says so in its result.
 */
public final class TrialWorkflowImpl implements TrialWorkflow {
  static final String NOT_YET = "; EDM training and evaluation are not implemented yet";

  @Override
  public TrialResult run(TrialRequest request) {
    GridPoint point = request.point();
    return switch (point.kind()) {
      case UNCONDITIONAL -> new TrialResult(point, TrialState.DONE, null,
          "unconditional baseline: one class, no clustering" + NOT_YET);
      case GROUND_TRUTH -> new TrialResult(point, TrialState.DONE, null,
          "ground-truth baseline: the " + point.clusters() + " labels of dataset " + request.datasetId() + NOT_YET);
      case CLUSTERS -> {
        ClusteringActivities clustering = Workflow.newActivityStub(ClusteringActivities.class,
            StageOptions.gpu(request.spec().runtime()));
        ClusteringArtifact assignments = clustering.cluster(new ClusteringRequest(request.featuresId(),
            request.knnId(), point.method(), point.clusters(), request.spec().clustering(), request.spec().seed()));
        yield new TrialResult(point, TrialState.DONE, assignments, assignments.describe() + NOT_YET);
      }
    };
  }
}
