package cedm.workflow;

import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import java.util.List;

/** Finds C_max by clustering at doubling, then bisected, C (one memoised clustering per probe). */
@WorkflowInterface
public interface CmaxSearchWorkflow {
  @WorkflowMethod
  CmaxResult search(CmaxRequest request);

  /** Probes so far, for `cedm status` while the search runs. */
  @QueryMethod
  List<Probe> evidence();
}
