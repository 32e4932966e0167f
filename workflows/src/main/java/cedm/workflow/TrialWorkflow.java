package cedm.workflow;

import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/** One grid point: cluster assignments -> EDM training -> evaluation. */
@WorkflowInterface
public interface TrialWorkflow {
  @WorkflowMethod
  TrialResult run(TrialRequest request);
}
