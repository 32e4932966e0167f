package cedm.activities;

import cedm.activity.Failures;
import cedm.activity.StageProgress;
import cedm.io.BadInputException;
import io.temporal.activity.Activity;
import io.temporal.client.ActivityCanceledException;
import io.temporal.failure.ApplicationFailure;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a stage's body inside an activity: bad input becomes a non-retryable failure whose message
 * names the file; anything else is retried by Temporal. Outside an activity (tests, benchmarks)
 * heartbeats are skipped.
 */
final class StageRun {
  private static final Logger log = LoggerFactory.getLogger(StageRun.class);
  private final String stage;

  private StageRun(String stage) {
    this.stage = stage;
  }

  static StageRun of(String stage) {
    return new StageRun(stage);
  }

  <T> T run(Callable<T> body) {
    try {
      return body.call();
    } catch (BadInputException e) {
      log.error("stage {}: {}", stage, e.getMessage());
      throw ApplicationFailure.newNonRetryableFailure(e.getMessage(), Failures.INVALID_INPUT);
    } catch (ActivityCanceledException e) {
      log.info("stage {} cancelled; what it persisted (checkpoints, finished chunks) is kept", stage);
      throw e;
    } catch (RuntimeException e) {
      log.warn("stage {} failed, Temporal will retry it: {}", stage, e.toString());
      throw e;
    } catch (Exception e) {
      log.warn("stage {} failed, Temporal will retry it: {}", stage, e.toString());
      throw Activity.wrap(e);
    }
  }

  static void heartbeat(StageProgress progress) {
    if (inActivity()) {
      Activity.getExecutionContext().heartbeat(progress);
    }
  }

  static void heartbeatWaiting() {
    if (inActivity()) {
      Activity.getExecutionContext().heartbeat(null);
    }
  }

  private static boolean inActivity() {
    try {
      Activity.getExecutionContext();
      return true;
    } catch (IllegalStateException e) {
      return false;
    }
  }
}
