package cedm.workflow;

import cedm.spec.RuntimeSpec;
import cedm.stage.ClusteringActivities;
import cedm.stage.DatasetActivities;
import cedm.stage.EvaluationActivities;
import cedm.stage.Failures;
import cedm.stage.FeatureActivities;
import cedm.stage.KnnActivities;
import cedm.stage.TrainingActivities;
import io.temporal.activity.ActivityMethod;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import java.lang.reflect.Method;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

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

  /** Which queue a stage interface's activities go to. */
  private enum Placement { CPU, GPU, TRAINING }

  private static final Map<Class<?>, Placement> PLACEMENT = Map.of(
      DatasetActivities.class, Placement.CPU,
      KnnActivities.class, Placement.CPU,
      FeatureActivities.class, Placement.GPU,
      ClusteringActivities.class, Placement.GPU,
      TrainingActivities.class, Placement.TRAINING,
      EvaluationActivities.class, Placement.GPU);

  /** The options of the stages of {@code activities}, one of the stage interfaces. */
  public static ActivityOptions of(Class<?> activities, RuntimeSpec runtime) {
    return on(queue(placement(activities), runtime), runtime);
  }

  /**
   * The task queue an activity of type {@code activityType} (its {@code @ActivityMethod} name) is
   * scheduled on; empty for a type no stage interface declares.
   */
  public static Optional<String> queueOf(String activityType, RuntimeSpec runtime) {
    for (Map.Entry<Class<?>, Placement> e : PLACEMENT.entrySet()) {
      for (Method m : e.getKey().getMethods()) {
        ActivityMethod name = m.getAnnotation(ActivityMethod.class);
        if (name != null && name.name().equals(activityType)) {
          return Optional.of(queue(e.getValue(), runtime));
        }
      }
    }
    return Optional.empty();
  }

  private static Placement placement(Class<?> activities) {
    Placement p = PLACEMENT.get(activities);
    if (p == null) {
      throw new IllegalArgumentException(activities + " is not a stage interface");
    }
    return p;
  }

  /** CPU stages on the CPU queue; training on the GPU queue of runtime.gpus_per_trial's width; the rest on the GPU queue. */
  private static String queue(Placement placement, RuntimeSpec runtime) {
    return switch (placement) {
      case CPU -> runtime.cpuQueue();
      case GPU -> runtime.gpuQueue();
      case TRAINING -> gpuQueue(runtime.gpuQueue(), runtime.gpusPerTrial());
    };
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
