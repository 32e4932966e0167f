package cedm.workflow;

import io.temporal.client.WorkflowExecutionAlreadyStarted;
import io.temporal.failure.ChildWorkflowFailure;
import io.temporal.workflow.Workflow;
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

  /** Whether to start the child again after {@link #WAIT}: its id is held and tries are left. */
  static boolean retries(ChildWorkflowFailure failure, int attempt) {
    // Runs recorded before this retry existed ended the point (or the search) here; they replay so.
    return holds(failure) && attempt < TRIES
        && Workflow.getVersion("earlier-run-retry", Workflow.DEFAULT_VERSION, 1) == 1;
  }

  static String cause(String workflowId) {
    return "the workflow " + workflowId + " of an earlier run of this sweep was still running after " + TRIES
        + " tries " + WAIT.toSeconds() + " s apart; terminate it (temporal workflow terminate --workflow-id " + workflowId
        + ") and resume the sweep";
  }
}
