package cedm.workflow;

import cedm.activity.Failures;
import cedm.spec.RuntimeSpec;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import java.time.Duration;

/**
 * Activity options of the stages. Long stages heartbeat; a silent worker is replaced after the
 * heartbeat timeout and the stage continues from its persisted progress on another worker. What
 * may heal (I/O, a lost worker) is retried with backoff up to runtime.max_attempts times; what
 * cannot ({@link Failures#FINAL}) fails at once.
 */
public final class StageOptions {
  /** Training a model takes days; the heartbeat, not this, catches a dead worker. */
  private static final Duration START_TO_CLOSE = Duration.ofDays(14);
  private static final int DEFAULT_ATTEMPTS = 10;

  private StageOptions() {}

  public static ActivityOptions cpu(RuntimeSpec runtime) {
    return on(runtime.cpuQueue(), runtime);
  }

  public static ActivityOptions gpu(RuntimeSpec runtime) {
    return on(runtime.gpuQueue(), runtime);
  }

  /** A training on runtime.gpus_per_trial devices: the GPU queue of that width. */
  public static ActivityOptions training(RuntimeSpec runtime) {
    return on(gpuQueue(runtime.gpuQueue(), runtime.gpusPerTrial()), runtime);
  }

  /**
   * The task queue of GPU stages that need {@code devices} devices at once: the GPU queue itself
   * for one, {@code <queue>-x<devices>} for more. A worker polls the widths its devices can hold.
   */
  public static String gpuQueue(String queue, int devices) {
    return devices <= 1 ? queue : queue + "-x" + devices;
  }

  private static ActivityOptions on(String queue, RuntimeSpec runtime) {
    return ActivityOptions.newBuilder()
        .setTaskQueue(queue)
        .setStartToCloseTimeout(START_TO_CLOSE)
        .setHeartbeatTimeout(Duration.ofSeconds(runtime.heartbeatTimeoutS()))
        .setRetryOptions(RetryOptions.newBuilder()
            .setInitialInterval(Duration.ofSeconds(2))
            .setBackoffCoefficient(2)
            .setMaximumInterval(Duration.ofMinutes(5))
            .setMaximumAttempts(attempts(runtime))
            .setDoNotRetry(Failures.FINAL.toArray(String[]::new))
            .build())
        .build();
  }

  /** Histories recorded before runtime.max_attempts existed carry 0, which Temporal would read as unlimited. */
  static int attempts(RuntimeSpec runtime) {
    return runtime.maxAttempts() > 0 ? runtime.maxAttempts() : DEFAULT_ATTEMPTS;
  }
}
