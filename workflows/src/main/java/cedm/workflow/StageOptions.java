package cedm.workflow;

import cedm.activity.Failures;
import cedm.spec.RuntimeSpec;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import java.time.Duration;

/**
 * Activity options of the stages. Long stages heartbeat; a silent worker is replaced after the
 * heartbeat timeout and the stage continues from its persisted progress on another worker.
 */
public final class StageOptions {
  /** Training a model takes days; the heartbeat, not this, catches a dead worker. */
  private static final Duration START_TO_CLOSE = Duration.ofDays(14);

  private StageOptions() {}

  public static ActivityOptions cpu(RuntimeSpec runtime) {
    return on(runtime.cpuQueue(), runtime);
  }

  public static ActivityOptions gpu(RuntimeSpec runtime) {
    return on(runtime.gpuQueue(), runtime);
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
            .setMaximumAttempts(10)
            .setDoNotRetry(Failures.INVALID_INPUT)
            .build())
        .build();
  }
}
