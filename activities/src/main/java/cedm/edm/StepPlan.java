package cedm.edm;

import cedm.io.BadInputException;

/**
 * How one optimiser step's batch is computed: split evenly over {@code replicas} devices, each
 * taking its share in {@code rounds} accumulation rounds of {@code roundSize} images (EDM's
 * batch_gpu). Image j of the batch belongs to replica j / (batch / replicas).
 */
public record StepPlan(int batch, int replicas, int roundSize) {
  public StepPlan {
    if (batch < 1 || replicas < 1 || roundSize < 1 || batch % (replicas * roundSize) != 0) {
      throw new IllegalArgumentException("batch " + batch + " is not " + replicas + " replicas x rounds of " + roundSize);
    }
  }

  /**
   * The plan for {@code batchSize} over {@code replicas} devices in rounds of {@code batchGpu}
   * (null, or more than a device's share: one round, as EDM clamps it). With fewer {@code images}
   * than the batch, the batch is the images there are, as C-EDM does, rounded down to a multiple of
   * the replicas: it never depends on batch_gpu.
   */
  public static StepPlan of(int batchSize, Integer batchGpu, int replicas, int images) throws BadInputException {
    int batch = Math.min(batchSize, images);
    if (batch < batchSize) {
      batch -= batch % replicas;
    } else if (batch % replicas != 0) {
      throw new BadInputException("training.batch_size " + batch + " does not split over runtime.gpus_per_trial "
          + replicas + " (allowed: a multiple of gpus_per_trial)");
    }
    if (batch == 0) {
      throw new BadInputException("runtime.gpus_per_trial " + replicas + " is more than the " + images
          + " training images (allowed: at most the number of images)");
    }
    int perReplica = batch / replicas;
    int round = batchGpu == null ? perReplica : Math.min(batchGpu, perReplica);
    if (perReplica % round != 0) {
      throw new BadInputException("training.batch_gpu " + batchGpu + " does not divide the " + perReplica
          + " images per device (allowed: a divisor of " + perReplica + ", or null)");
    }
    return new StepPlan(batch, replicas, round);
  }

  public int perReplica() {
    return batch / replicas;
  }

  public int rounds() {
    return perReplica() / roundSize;
  }

  /** The batch position of the first image of {@code replica}'s round {@code round}. */
  public int first(int replica, int round) {
    return replica * perReplica() + round * roundSize;
  }
}
