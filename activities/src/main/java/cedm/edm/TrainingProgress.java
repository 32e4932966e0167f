package cedm.edm;

import cedm.store.Checkpoints;

/**
 * Progress at a tick: kimg done of total, mean per-pixel loss over the tick, throughput.
 *
 * @param learningRate the rate of the tick's last step, after the ramp-up
 * @param checkpoint the newest checkpoint, or null before the first one
 */
public record TrainingProgress(double kimg, double totalKimg, double loss, double imagesPerSecond, double learningRate,
    Checkpoints.Checkpoint checkpoint) {
  public double checkpointKimg() {
    return checkpoint == null ? 0 : checkpoint.step() / 1000.0;
  }
}
