package cedm.activities;

import ai.djl.Device;
import cedm.metrics.Gauges;
import cedm.stage.RunLabels;
import cedm.stage.StageProgress;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What every stage run reports on Micrometer's global registry, labelled by sweep, stage, trial
 * and C: whether it is running here, how far it is, how long it took, and whether its artifact
 * was computed or reused. GPU stages also count their device's slot as busy.
 */
final class StageMetrics {
  private static final Map<String, AtomicInteger> BUSY = new ConcurrentHashMap<>();

  /** Outcomes of a stage run, the {@code outcome} label. */
  static final String COMPUTED = "computed";
  static final String REUSED = "reused";
  static final String INVALID_INPUT = "invalid_input";
  /** NaN/Inf values or an array too large: failed for good, without retries. */
  static final String UNRECOVERABLE = "unrecoverable";
  static final String FAILED = "failed";
  static final String CANCELLED = "cancelled";

  private static final String ACTIVE = "cedm.stage.active";
  private static final String ACTIVE_HELP = "1 while the stage runs in this process";
  private static final String PROGRESS = "cedm.stage.progress";
  private static final String PROGRESS_HELP = "Fraction of the stage done, from its last heartbeat";

  private final Tags tags;
  private final AtomicInteger busy;
  private final long started = System.nanoTime();

  private StageMetrics(Tags tags, AtomicInteger busy) {
    this.tags = tags;
    this.busy = busy;
  }

  static Tags tags(String stage, RunLabels labels) {
    RunLabels l = RunLabels.orNone(labels);
    return Tags.of("sweep", l.sweep(), "stage", stage, "trial", l.trial(), "c", l.c());
  }

  /** A device's slot gauge, registered (at 0) when a worker takes the device, before any stage runs. */
  static AtomicInteger slot(Device device) {
    return BUSY.computeIfAbsent(deviceLabel(device), name -> {
      AtomicInteger running = new AtomicInteger();
      Gauge.builder("cedm.gpu.slot.busy", running, AtomicInteger::get).tag("device", name)
          .description("1 while a GPU stage runs on the device").register(Metrics.globalRegistry);
      return running;
    });
  }

  static String deviceLabel(Device device) {
    return device.getDeviceId() < 0 ? device.getDeviceType() : device.getDeviceType() + device.getDeviceId();
  }

  /** Marks a stage as running here; {@code device} is null for CPU stages. */
  static StageMetrics start(String stage, RunLabels labels, Device device) {
    StageMetrics run = new StageMetrics(tags(stage, labels), device == null ? null : slot(device));
    Gauges.set(ACTIVE, ACTIVE_HELP, run.tags, 1);
    Gauges.set(PROGRESS, PROGRESS_HELP, run.tags, 0);
    if (run.busy != null) {
      run.busy.incrementAndGet();
    }
    return run;
  }

  void progress(StageProgress p) {
    if (p.total() > 0) {
      Gauges.set(PROGRESS, PROGRESS_HELP, tags, (double) p.done() / p.total());
    }
  }

  /** Ends the run with {@code outcome}, one of the constants above. */
  void end(String outcome) {
    MeterRegistry registry = Metrics.globalRegistry;
    Timer.builder("cedm.stage").tags(tags).tag("outcome", outcome)
        .description("Stage runs and their wall time, by outcome").register(registry)
        .record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
    if (outcome.equals(COMPUTED) || outcome.equals(REUSED)) {
      Counter.builder("cedm.artifacts").tags(tags).tag("outcome", outcome)
          .description("Artifacts a stage returned, computed or reused from the store").register(registry).increment();
      Gauges.set(PROGRESS, PROGRESS_HELP, tags, 1);
    }
    Gauges.set(ACTIVE, ACTIVE_HELP, tags, 0);
    if (busy != null) {
      busy.decrementAndGet();
    }
  }
}
