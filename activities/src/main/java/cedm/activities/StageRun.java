package cedm.activities;

import ai.djl.Device;
import cedm.activity.Failures;
import cedm.activity.RunLabels;
import cedm.activity.StageOutput;
import cedm.activity.StageProgress;
import cedm.io.BadInputException;
import io.temporal.activity.Activity;
import io.temporal.client.ActivityCanceledException;
import io.temporal.failure.ApplicationFailure;
import java.util.List;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a stage's body inside an activity: bad input becomes a non-retryable failure whose message
 * names the file; anything else is retried by Temporal. Every run and heartbeat is reported to
 * {@link StageMetrics}. Outside an activity (tests, benchmarks) heartbeats only update metrics.
 */
final class StageRun {
  private static final Logger log = LoggerFactory.getLogger(StageRun.class);
  /** The run on this thread; heartbeats come from the activity's thread, as Temporal's own context does. */
  private static final ThreadLocal<StageMetrics> CURRENT = new ThreadLocal<>();
  private final String stage;
  private final RunLabels labels;
  private final DevicePool.Claim claim;

  private StageRun(String stage, RunLabels labels, DevicePool.Claim claim) {
    this.stage = stage;
    this.labels = labels;
    this.claim = claim;
  }

  /** A CPU stage. */
  static StageRun of(String stage, RunLabels labels) {
    return new StageRun(stage, labels, null);
  }

  /** A stage that leases {@code claim}'s devices while it runs (waiting, heartbeating, while they are busy). */
  static StageRun onDevices(String stage, RunLabels labels, DevicePool.Claim claim) {
    return new StageRun(stage, labels, claim);
  }

  /** The body gets the leased devices (none for a CPU stage). */
  interface OnDevices<T> {
    T call(List<Device> devices) throws Exception;
  }

  <T extends StageOutput> T run(Callable<T> body) {
    return run(devices -> body.call());
  }

  <T extends StageOutput> T run(OnDevices<T> body) {
    DevicePool.Lease lease;
    try {
      lease = claim == null ? null : claim.lease(StageRun::heartbeatWaiting);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw Activity.wrap(e);
    }
    try {
      return runLeased(body, lease == null ? List.of() : lease.devices());
    } finally {
      if (lease != null) {
        lease.close();
      }
    }
  }

  private <T extends StageOutput> T runLeased(OnDevices<T> body, List<Device> devices) {
    StageMetrics metrics = StageMetrics.start(stage, labels, devices.isEmpty() ? null : devices.get(0));
    StageMetrics outer = CURRENT.get();
    CURRENT.set(metrics);
    String outcome = StageMetrics.FAILED;
    try {
      T output = body.call(devices);
      outcome = output.reused() ? StageMetrics.REUSED : StageMetrics.COMPUTED;
      return output;
    } catch (BadInputException e) {
      outcome = StageMetrics.INVALID_INPUT;
      log.error("stage {}: {}", stage, e.getMessage());
      throw ApplicationFailure.newNonRetryableFailure(e.getMessage(), Failures.INVALID_INPUT);
    } catch (ActivityCanceledException e) {
      outcome = StageMetrics.CANCELLED;
      log.info("stage {} cancelled; what it persisted (checkpoints, finished chunks) is kept", stage);
      throw e;
    } catch (RuntimeException e) {
      log.warn("stage {} failed, Temporal will retry it: {}", stage, e.toString());
      throw e;
    } catch (Exception e) {
      log.warn("stage {} failed, Temporal will retry it: {}", stage, e.toString());
      throw Activity.wrap(e);
    } finally {
      metrics.end(outcome);
      CURRENT.set(outer);
    }
  }

  static void heartbeat(StageProgress progress) {
    StageMetrics metrics = CURRENT.get();
    if (metrics != null) {
      metrics.progress(progress);
    }
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
