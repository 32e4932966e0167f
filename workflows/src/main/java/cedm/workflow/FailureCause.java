package cedm.workflow;

import cedm.spec.RuntimeSpec;
import io.temporal.api.enums.v1.RetryState;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;

/**
 * The one line a failed stage, search or trial ends with: the innermost cause's message, and when
 * the stage failed because its attempts ran out, that it did.
 */
public final class FailureCause {
  private FailureCause() {}

  static String of(Throwable failure, RuntimeSpec runtime) {
    ActivityFailure activity = null;
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof ActivityFailure a) {
        activity = a;
      }
    }
    String message = innermostMessage(failure);
    if (activity != null && activity.getRetryState() == RetryState.RETRY_STATE_MAXIMUM_ATTEMPTS_REACHED) {
      message += " (all " + StageOptions.attempts(runtime) + " attempts failed; runtime.max_attempts)";
    }
    return message;
  }

  /** The message of the innermost cause: what went wrong, without the layers that carried it. */
  public static String innermostMessage(Throwable failure) {
    Throwable t = failure;
    while (t.getCause() != null) {
      t = t.getCause();
    }
    return t instanceof ApplicationFailure app ? app.getOriginalMessage() : t.getMessage();
  }
}
