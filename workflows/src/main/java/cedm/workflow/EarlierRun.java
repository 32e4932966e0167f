package cedm.workflow;

import io.temporal.client.WorkflowExecutionAlreadyStarted;
import io.temporal.failure.ChildWorkflowFailure;
import java.time.Duration;

/**
 * A child workflow id that a killed run of the same sweep still holds: the server terminates the
 * children of a terminated run shortly after it, so a sweep submitted again at once can find a
 * trial or the search still there. The new run waits and starts the child again, a bounded number
 * of times, then names the workflow to terminate.
 */
final class EarlierRun {
  static final int TRIES = 12;
  static final Duration WAIT = Duration.ofSeconds(5);

  private EarlierRun() {}

  /** The child could not start because a workflow with its id runs. */
  static boolean holds(ChildWorkflowFailure failure) {
    return failure.getCause() instanceof WorkflowExecutionAlreadyStarted;
  }

  static String cause(String workflowId) {
    return "the workflow " + workflowId + " of an earlier run of this sweep was still running after "
        + TRIES * WAIT.toSeconds() + " s; terminate it (temporal workflow terminate --workflow-id " + workflowId
        + ") and resume the sweep";
  }
}
