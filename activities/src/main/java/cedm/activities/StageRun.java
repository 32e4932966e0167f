package cedm.activities;

import ai.djl.Device;
import cedm.stage.Failures;
import cedm.stage.RunLabels;
import cedm.stage.StageOutput;
import cedm.stage.StageProgress;
import cedm.io.BadInputException;
import cedm.io.NonFiniteException;
import cedm.store.DeviceLedger;
import io.temporal.activity.Activity;
import io.temporal.client.ActivityCanceledException;
import io.temporal.failure.ApplicationFailure;
import java.nio.file.FileSystemException;
import java.util.List;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a stage's body inside an activity: bad input, NaN/Inf values and arrays too large become
 * non-retryable failures whose one-line message names the file or stage; anything else fails this
 * attempt with one line and is retried by Temporal up to the spec's runtime.max_attempts. Every run and heartbeat is reported to
 * {@link StageMetrics}. Outside an activity (tests, benchmarks) heartbeats only update metrics.
 */
final class StageRun {
  private static final Logger log = LoggerFactory.getLogger(StageRun.class);
  /** The JVM's message when an array's requested length exceeds what it can allocate at all. */
  private static final String ARRAY_LIMIT = "Requested array size exceeds VM limit";
  /** The run on this thread; heartbeats come from the activity's thread, as Temporal's own context does. */
  private static final ThreadLocal<Current> CURRENT = new ThreadLocal<>();

  /** What a heartbeat updates: the run's metrics, and its ledger entry (null outside a sweep). */
  private record Current(StageMetrics metrics, DeviceLedger.Attempt attempt) {}
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
    DeviceLedger.Attempt attempt = labels.sweep().isEmpty() ? null : ledger.start(labels.sweep(), stage, labels.trial(),
        labels.clusters(), devices.stream().anyMatch(Device::isGpu) ? "gpu" : "cpu", devices.size());
    Current outer = CURRENT.get();
    CURRENT.set(new Current(metrics, attempt));
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
      throw retryable(e);
    } finally {
      metrics.end(outcome);
      if (attempt != null) {
        attempt.end(outcome);
      }
      CURRENT.set(outer);
    }
  }

  /** A failure that may heal: one line for the user; the stack trace goes to this worker's log. */
  private ApplicationFailure retryable(Exception e) {
    String cause = oneLine(e);
    log.warn("stage {} failed{}: {}", stage,
        inActivity() ? " in attempt " + Activity.getExecutionContext().getInfo().getAttempt() : "", cause, e);
    return ApplicationFailure.newFailure(cause, e.getClass().getName());
  }

  /**
   * The first message in the cause chain that says more than its cause's class and message (what a
   * wrapper without its own message carries), with the file a file-system error names.
   */
  static String oneLine(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t
        && (t.getMessage() == null || t.getMessage().equals(t.getCause().toString()))) {
      t = t.getCause();
    }
    String message = t.getMessage();
    if (t instanceof FileSystemException fs && message != null && fs.getFile() != null
        && !message.contains(fs.getFile())) {
      message = fs.getFile() + ": " + message;
    }
    String line = message == null || message.isBlank() ? t.getClass().getSimpleName() : message.strip();
    int newline = line.indexOf('\n');
    return newline < 0 ? line : line.substring(0, newline);
  }

  static void heartbeat(StageProgress progress) {
    Current current = CURRENT.get();
    if (current != null) {
      current.metrics().progress(progress);
      if (current.attempt() != null) {
        current.attempt().progress();
      }
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
