package cedm.workflow;

import cedm.spec.RuntimeSpec;
import cedm.stage.FailureMessage;
import io.temporal.api.enums.v1.RetryState;
import io.temporal.failure.ActivityFailure;

/**
 * The one line a failed stage, search or trial ends with: what went wrong ({@link FailureMessage}), and when
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
    String message = FailureMessage.of(failure);
    if (activity != null && activity.getRetryState() == RetryState.RETRY_STATE_MAXIMUM_ATTEMPTS_REACHED) {
      message += " (all " + StageOptions.attempts(runtime) + " attempts failed; runtime.max_attempts)";
    }
    return message;
  }
}
