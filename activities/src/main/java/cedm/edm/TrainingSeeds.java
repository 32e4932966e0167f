package cedm.edm;

import cedm.random.Seeds;
import cedm.random.Shuffle;
import java.util.SplittableRandom;

/** Every random draw of an EDM training comes from the run's seed through one of these streams, so a resumed run repeats it. */
final class TrainingSeeds {
  private static final long STEP_STREAM = 1L << 40;
  private static final long ORDER_STREAM = 2L << 40;

  private TrainingSeeds() {}

  /** The epoch's image order, a pure function of (seed, epoch). */
  static int[] order(long seed, int epoch, int n) {
    return Shuffle.permutation(new SplittableRandom(Seeds.mix(seed, ORDER_STREAM + epoch)), n);
  }

  /** The seed of every draw of step {@code step} (noise, sigma, augmentation, dropout). */
  static long step(long seed, long step) {
    return Seeds.mix(seed, STEP_STREAM + step);
  }

  /** The seed of the network's initial weights. */
  static long init(long seed) {
    return Seeds.mix(seed, -1);
  }
}
