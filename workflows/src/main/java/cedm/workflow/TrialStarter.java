package cedm.workflow;

import cedm.spec.ExperimentSpec;
import cedm.stage.DatasetArtifact;
import cedm.stage.FeaturesArtifact;
import cedm.stage.KnnArtifact;
import io.temporal.api.enums.v1.WorkflowIdReusePolicy;
import io.temporal.failure.ChildWorkflowFailure;
import io.temporal.workflow.Async;
import io.temporal.workflow.ChildWorkflowOptions;
import io.temporal.workflow.Promise;
import io.temporal.workflow.Workflow;

/** Starts a grid point's trial as a child workflow of the sweep, on the artifacts the sweep made. */
final class TrialStarter {
  private final String sweepId;
  private final ExperimentSpec spec;
  private final DatasetArtifact dataset;
  private final FeaturesArtifact features;
  private final KnnArtifact knn;

  TrialStarter(String sweepId, ExperimentSpec spec, DatasetArtifact dataset, FeaturesArtifact features, KnnArtifact knn) {
    this.sweepId = sweepId;
    this.spec = spec;
    this.dataset = dataset;
    this.features = features;
    this.knn = knn;
  }

  /** The point's stretch of training from {@code fromKimg} to the rung at {@code untilKimg} (null: to the end). */
  Promise<TrialResult> start(GridPoint point, double fromKimg, Double untilKimg) {
    return start(new TrialRequest(sweepId, point, dataset.artifactId(), features.artifactId(), knn.artifactId(), spec,
        fromKimg, untilKimg), 1);
  }

  /** While a killed run's trial still holds the point's id, starts it again a little later. */
  private Promise<TrialResult> start(TrialRequest request, int attempt) {
    TrialWorkflow trial = Workflow.newChildWorkflowStub(TrialWorkflow.class, ChildWorkflowOptions.newBuilder()
        .setWorkflowId(TrialWorkflow.workflowId(sweepId, request.point()))
        .setTaskQueue(spec.runtime().cpuQueue())
        .setWorkflowIdReusePolicy(WorkflowIdReusePolicy.WORKFLOW_ID_REUSE_POLICY_ALLOW_DUPLICATE)
        .build());
    return Async.function(trial::run, request)
        .handle((result, failure) -> {
          if (failure instanceof ChildWorkflowFailure f && EarlierRun.retries(f, attempt)) {
            return Workflow.newTimer(EarlierRun.WAIT).thenCompose(v -> start(request, attempt + 1));
          }
          return failure == null ? Workflow.newPromise(result) : Workflow.<TrialResult>newFailedPromise(failure);
        })
        .thenCompose(next -> next);
  }
}
