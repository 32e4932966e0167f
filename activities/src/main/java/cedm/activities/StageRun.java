package cedm.activities;

import ai.djl.Device;
import cedm.io.BadInputException;
import cedm.io.NonFiniteException;
import cedm.stage.FailureMessage;
import cedm.stage.Failures;
import cedm.stage.RunLabels;
import cedm.stage.StageOutput;
import cedm.stage.StageProgress;
import cedm.store.DeviceLedger;
import io.temporal.activity.Activity;
import io.temporal.activity.ActivityExecutionContext;
import io.temporal.client.ActivityCanceledException;
import io.temporal.failure.ApplicationFailure;
import java.util.List;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a stage's body inside an activity: bad input, NaN/Inf values and arrays too large become
 * non-retryable failures whose one-line message names the file or stage; anything else fails this
 * attempt with one line and is retried by Temporal up to the spec's runtime.max_attempts. Every run and heartbeat is reported to
 * {@link StageMetrics} and to the activity's heartbeat.
 */
final class StageRun {
  private static final Logger log = LoggerFactory.getLogger(StageRun.class);
  /** The JVM's message when an array's requested length exceeds what it can allocate at all. */
  private static final String ARRAY_LIMIT = "Requested array size exceeds VM limit";
  /** The run on this thread; heartbeats come from the activity's thread, as Temporal's own context does. */
  private static final ThreadLocal<Current> CURRENT = new ThreadLocal<>();

  /** What a heartbeat updates: the run's metrics, its ledger entry (null outside a sweep) and its activity. */
  private record Current(StageMetrics metrics, DeviceLedger.Attempt attempt, ActivityExecutionContext activity) {}

  private final String stage;
  private final RunLabels labels;
  private final DevicePool.Claim claim;
  private final DeviceLedger ledger;

  private StageRun(String stage, RunLabels labels, DevicePool.Claim claim, DeviceLedger ledger) {
    this.stage = stage;
    this.labels = RunLabels.orNone(labels);
    this.claim = claim;
    this.ledger = ledger;
  }

  /** A CPU stage; its attempts' time goes to {@code ledger}. */
  static StageRun of(String stage, RunLabels labels, DeviceLedger ledger) {
    return new StageRun(stage, labels, null, ledger);
  }

  /**
   * A stage that leases {@code claim}'s devices while it runs (waiting, heartbeating, while they
   * are busy); the time it holds them goes to {@code ledger}.
   */
  static StageRun onDevices(String stage, RunLabels labels, DevicePool.Claim claim, DeviceLedger ledger) {
    return new StageRun(stage, labels, claim, ledger);
  }

  /** The body gets the leased devices (none for a CPU stage). */
  interface OnDevices<T> {
    T call(List<Device> devices) throws Exception;
  }

  <T extends StageOutput> T run(Callable<T> body) {
    return run(devices -> body.call());
  }

  <T extends StageOutput> T run(OnDevices<T> body) {
    ActivityExecutionContext activity = Activity.getExecutionContext();
    DevicePool.Lease lease;
    try {
      lease = claim == null ? null : claim.lease(() -> activity.heartbeat(null));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw Activity.wrap(e);
    }
    try {
      return runLeased(body, lease == null ? List.of() : lease.devices(), activity);
    } finally {
      if (lease != null) {
        lease.close();
      }
    }
  }

  private <T extends StageOutput> T runLeased(OnDevices<T> body, List<Device> devices,
      ActivityExecutionContext activity) {
    StageMetrics metrics = StageMetrics.start(stage, labels, devices.isEmpty() ? null : devices.get(0));
    DeviceLedger.Attempt attempt = labels.sweep().isEmpty() ? null : ledger.start(labels.sweep(), stage, labels.trial(),
        labels.clusters(), devices.stream().anyMatch(Device::isGpu) ? "gpu" : "cpu", devices.size());
    Current outer = CURRENT.get();
    CURRENT.set(new Current(metrics, attempt, activity));
    String outcome = StageMetrics.FAILED;
    try {
      T output = body.call(devices);
      outcome = output.reused() ? StageMetrics.REUSED : StageMetrics.COMPUTED;
      return output;
    } catch (BadInputException e) {
      outcome = StageMetrics.INVALID_INPUT;
      log.error("stage {}: {}", stage, e.getMessage());
      throw ApplicationFailure.newNonRetryableFailure(e.getMessage(), Failures.INVALID_INPUT);
    } catch (NonFiniteException e) {
      outcome = StageMetrics.UNRECOVERABLE;
      log.error("stage {}: {}", stage, e.getMessage());
      throw ApplicationFailure.newNonRetryableFailure(e.getMessage(), Failures.NON_FINITE);
    } catch (NegativeArraySizeException | OutOfMemoryError e) {
      if (e instanceof OutOfMemoryError && !ARRAY_LIMIT.equals(e.getMessage())) {
        throw e;
      }
      outcome = StageMetrics.UNRECOVERABLE;
      String message = "an array larger than Java can hold (" + e + "); the stage's input is too large";
      log.error("stage {}: {}", stage, message, e);
      throw ApplicationFailure.newNonRetryableFailure(message, Failures.TOO_LARGE);
    } catch (ActivityCanceledException e) {
      outcome = StageMetrics.CANCELLED;
      log.info("stage {} cancelled; what it persisted (checkpoints, finished chunks) is kept", stage);
      throw e;
    } catch (Exception e) {
      throw retryable(e, activity.getInfo().getAttempt());
    } finally {
      metrics.end(outcome);
      if (attempt != null) {
        attempt.end(outcome);
      }
      CURRENT.set(outer);
    }
  }

  /** A failure that may heal: one line for the user; the stack trace goes to this worker's log. */
  private ApplicationFailure retryable(Exception e, int attempt) {
    String cause = FailureMessage.of(e);
    log.warn("stage {} failed in attempt {}: {}", stage, attempt, cause, e);
    return ApplicationFailure.newFailure(cause, e.getClass().getName());
  }

  /** Progress of the stage run on this thread: its metrics, its ledger entry and its activity's heartbeat. */
  static void heartbeat(StageProgress progress) {
    Current current = CURRENT.get();
    if (current != null) {
      current.metrics().progress(progress);
      if (current.attempt() != null) {
        current.attempt().progress();
      }
      current.activity().heartbeat(progress);
    }
  }

  /** Still alive while the stage run on this thread waits (for a lock held by another producer). */
  static void heartbeatWaiting() {
    Current current = CURRENT.get();
    if (current != null) {
      current.activity().heartbeat(null);
    }
  }
}
