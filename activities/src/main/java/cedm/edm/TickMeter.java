package cedm.edm;

import cedm.store.Checkpoints;
import java.util.Optional;

/** EDM's ticks: every tick_kimg images, the mean loss and the throughput since the last tick. */
final class TickMeter {
  private final long every;
  private final long total;
  private double loss;
  private int steps;
  private long images;
  private long started = System.nanoTime();

  TickMeter(long everyNimg, long totalNimg) {
    this.every = everyNimg;
    this.total = totalNimg;
  }

  /** The first tick's clock starts here, once the network is restored and the replicas are ready. */
  void restart() {
    started = System.nanoTime();
  }

  /** Where training starts: no step ran yet, so the loss is NaN. */
  TrainingProgress start(long nimg, double learningRate, Checkpoints.Checkpoint checkpoint) {
    return new TrainingProgress(nimg / 1000.0, total / 1000.0, Double.NaN, 0, learningRate, checkpoint);
  }

  /** A step from {@code before} to {@code nimg} images; the tick's progress when it ends one (or training). */
  Optional<TrainingProgress> stepped(long before, long nimg, int batch, double stepLoss, double learningRate,
      Checkpoints.Checkpoint checkpoint) {
    loss += stepLoss;
    steps++;
    images += batch;
    if (before / every == nimg / every && nimg < total) {
      return Optional.empty();
    }
    double seconds = (System.nanoTime() - started) / 1e9;
    TrainingProgress progress = new TrainingProgress(nimg / 1000.0, total / 1000.0, loss / steps,
        images / seconds, learningRate, checkpoint);
    loss = 0;
    steps = 0;
    images = 0;
    started = System.nanoTime();
    return Optional.of(progress);
  }
}
