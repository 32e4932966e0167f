package cedm.workflow;

import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.SignalMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import java.util.List;

/** The whole C-EDM chain for one spec. */
@WorkflowInterface
public interface SweepWorkflow {
  @WorkflowMethod
  SweepResult run(SweepRequest request);

  @QueryMethod
  SweepStatus status();

  /** Adds grid points (C values, one trial per clustering method); only the new ones run. */
  @SignalMethod
  void addPoints(List<Integer> clusters);
}
