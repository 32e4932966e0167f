package cedm.workflow;

import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/** The whole C-EDM chain for one spec. */
@WorkflowInterface
public interface SweepWorkflow {
  @WorkflowMethod
  SweepResult run(SweepRequest request);

  @QueryMethod
  SweepStatus status();
}
