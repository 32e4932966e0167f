package cedm.activities;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.Tags;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Live training figures of one trial, labelled by trial, on Micrometer's global registry. One
 * holder per trial and process: a gauge registers once, so a second run of the same trial (a
 * retry on the same worker) must update the first holder.
 */
final class TrainingMetrics {
  private static final Map<String, TrainingMetrics> BY_TRIAL = new ConcurrentHashMap<>();

  private final AtomicReference<Double> loss = new AtomicReference<>(Double.NaN);
  private final AtomicReference<Double> kimg = new AtomicReference<>(0.0);
  private final AtomicReference<Double> imagesPerSecond = new AtomicReference<>(0.0);
  private final AtomicReference<Double> checkpointKimg = new AtomicReference<>(0.0);
  private final Counter resumes;

  static TrainingMetrics of(String trial) {
    return BY_TRIAL.computeIfAbsent(trial, TrainingMetrics::new);
  }

  private TrainingMetrics(String trial) {
    MeterRegistry registry = Metrics.globalRegistry;
    Tags tags = Tags.of("stage", "training", "trial", trial);
    Gauge.builder("cedm.training.loss", loss, AtomicReference::get).tags(tags).register(registry);
    Gauge.builder("cedm.training.kimg", kimg, AtomicReference::get).tags(tags).register(registry);
    Gauge.builder("cedm.training.images.per.second", imagesPerSecond, AtomicReference::get).tags(tags)
        .register(registry);
    Gauge.builder("cedm.training.checkpoint.kimg", checkpointKimg, AtomicReference::get).tags(tags).register(registry);
    resumes = Counter.builder("cedm.training.resumes").tags(tags).register(registry);
  }

  void tick(double kimgDone, double meanLoss, double throughput, double checkpointAt) {
    kimg.set(kimgDone);
    loss.set(meanLoss);
    imagesPerSecond.set(throughput);
    checkpointKimg.set(checkpointAt);
  }

  void resumed() {
    resumes.increment();
  }
}
