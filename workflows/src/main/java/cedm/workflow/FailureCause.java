package cedm.workflow;

import cedm.spec.RuntimeSpec;
import io.temporal.api.enums.v1.RetryState;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;

/**
 * The one line a failed stage, search or trial ends with: the innermost cause's message, and when
 * the stage failed because its attempts ran out, that it did.
 */
final class FailureCause {
  private FailureCause() {}

  static String of(Throwable failure, RuntimeSpec runtime) {
    ActivityFailure activity = null;
    Throwable t = failure;
    while (true) {
      if (t instanceof ActivityFailure a) {
        activity = a;
      }
      if (t.getCause() == null) {
        break;
      }
      t = t.getCause();
    }
    String message = t instanceof ApplicationFailure app ? app.getOriginalMessage() : t.getMessage();
    if (activity != null && activity.getRetryState() == RetryState.RETRY_STATE_MAXIMUM_ATTEMPTS_REACHED) {
      message += " (all " + StageOptions.attempts(runtime) + " attempts failed; runtime.max_attempts)";
    }
    return message;
  }
}
