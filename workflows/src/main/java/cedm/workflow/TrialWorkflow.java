package cedm.workflow;

import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/** One grid point: cluster assignments -> EDM training -> evaluation. */
@WorkflowInterface
public interface TrialWorkflow {
  @WorkflowMethod
  TrialResult run(TrialRequest request);

  /** The workflow id of a sweep's trial: unique per sweep and grid point, so a re-run attaches to it. */
  static String workflowId(String sweepId, GridPoint point) {
    return sweepId + "/" + point.id();
  }
}
