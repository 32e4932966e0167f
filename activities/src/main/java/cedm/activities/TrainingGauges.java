package cedm.activities;

import cedm.edm.TrainingProgress;
import cedm.metrics.Gauges;
import cedm.stage.RunLabels;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.Tags;

/** Live figures of one EDM training run, labelled by sweep, stage, trial and C. */
final class TrainingGauges {
  private final Tags tags;

  TrainingGauges(RunLabels labels) {
    tags = StageMetrics.tags(Stage.TRAINING.id(), labels);
  }

  /** Where training starts (or resumes); before the first checkpoint its age counts from now. */
  void started(TrainingProgress p, long nowMillis) {
    resumes();
    set("cedm.training.target.kimg", "Training length, kimg", p.totalKimg());
    position(p);
    if (p.checkpoint() == null) {
      checkpoint(0, 0, nowMillis);
    }
  }

  void tick(TrainingProgress p) {
    position(p);
    set("cedm.training.loss", "Mean EDM loss over the last tick", p.loss());
    set("cedm.training.images.per.second", "Training throughput over the last tick", p.imagesPerSecond());
  }

  private void position(TrainingProgress p) {
    set("cedm.training.kimg", "Training images seen, kimg", p.kimg());
    set("cedm.training.learning.rate", "Learning rate after the ramp-up", p.learningRate());
    if (p.checkpoint() != null) {
      checkpoint(p.checkpointKimg(), p.checkpoint().bytes(), p.checkpoint().writtenMillis());
    }
  }

  private void checkpoint(double kimg, long bytes, long writtenMillis) {
    set("cedm.training.checkpoint.kimg", "Images seen at the newest checkpoint, kimg", kimg);
    set("cedm.training.checkpoint.bytes", "Size of the newest checkpoint", bytes);
    set("cedm.training.checkpoint.timestamp.seconds",
        "When the newest checkpoint was written (the training's start before the first)", writtenMillis / 1000.0);
  }

  void resumed() {
    resumes().increment();
  }

  /** Registered at the start, so a dashboard shows 0 rather than nothing. */
  private Counter resumes() {
    return Counter.builder("cedm.training.resumes").tags(tags).description("Trainings continued from a checkpoint")
        .register(Metrics.globalRegistry);
  }

  private void set(String name, String description, double value) {
    Gauges.set(name, description, tags, value);
  }
}
