package cedm.edm;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import cedm.io.Safetensors;
import cedm.spec.TrainingSpec;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The training that issue 25's trajectory oracle follows: a small network, 6 steps of batch 8 in 2
 * rounds of 4, with augmentation, dropout, the lr ramp-up and the EMA ramp-up all at work, over an
 * epoch boundary (20 images).
 *
 * <p>{@link #main} writes every draw cedm's trainer makes in that training (the augmented images,
 * their labels, sigma's normals, the noise, the dropout masks) with the initial weights, to
 * fixtures/edm/trajectory_draws.safetensors; fixtures/make_trajectory_fixture.py feeds exactly those
 * to NVlabs/edm's loss, Adam, lr ramp-up and EMA and writes the reference weights after each step.
 * Rerun both after changing how the trainer draws:
 * {@code java -cp <test class path> cedm.edm.TrajectoryOracle src/test/resources/fixtures/edm/trajectory_draws.safetensors}.
 */
final class TrajectoryOracle {
  static final long SEED = 5;
  static final int STEPS = 6;
  static final int BATCH = 8;
  static final int ROUND = 4;
  static final int IMAGES = 20;
  static final int RESOLUTION = 8;
  static final int LABELS = 3;

  private TrajectoryOracle() {}

  /** 8 channels x [1, 2], embedding 16, attention at 4x4; lr 2e-3 ramped over 3 steps, EMA half-life ramp-up ratio 0.5, augment p 0.5, dropout 0.1, a checkpoint every step. */
  static TrainingSpec spec() {
    double stepKimg = BATCH / 1000.0;
    return new TrainingSpec(TrainingSpec.Preset.TINY, 8, List.of(1, 2), 2, 1, List.of(4), 0.1,
        STEPS * BATCH / 1e6, BATCH, ROUND, 2e-3, 3 * stepKimg, 0.5, 0.5, 0.5, stepKimg, STEPS, stepKimg);
  }

  static NetworkConfig config() {
    return NetworkConfig.of(spec(), RESOLUTION, 3, LABELS);
  }

  static TrainingData data() {
    SplittableRandom r = new SplittableRandom(7);
    int size = RESOLUTION * RESOLUTION * 3;
    byte[] images = new byte[IMAGES * size];
    int[] labels = new int[IMAGES];
    for (int i = 0; i < IMAGES; i++) {
      labels[i] = i % LABELS;
      for (int k = 0; k < size; k++) {
        images[i * size + k] = (byte) r.nextInt(256);
      }
    }
    return new TrainingData(images, IMAGES, RESOLUTION, RESOLUTION, 3, labels, LABELS);
  }

  /** Writes the draws of every step and round, keyed {@code s<step>r<round>.<what>}, and {@code init.<parameter>}. */
  public static void main(String[] args) throws Exception {
    NetworkConfig config = config();
    SongUNet net = new SongUNet(config);
    TrainingData data = data();
    AugmentPipe pipe = new AugmentPipe(NetworkConfig.augmentP(spec()));
    Map<String, NDArray> out = new LinkedHashMap<>();
    try (NDManager manager = NDManager.newBaseManager()) {
      NetworkParameters init = NetworkParameters.initialise(net.layout(), manager, TrainingSeeds.init(SEED));
      init.values().forEach((name, value) -> out.put("init." + name, value));
      int[] order = TrainingSeeds.order(SEED, 0, IMAGES);
      int epoch = 0;
      int position = 0;
      for (int step = 0; step < STEPS; step++) {
        int[] rows = new int[BATCH];
        for (int i = 0; i < BATCH; i++) {
          if (position == IMAGES) {
            order = TrainingSeeds.order(SEED, ++epoch, IMAGES);
            position = 0;
          }
          rows[i] = order[position++];
        }
        long stepSeed = TrainingSeeds.step(SEED, step);
        for (int round = 0; round < BATCH / ROUND; round++) {
          int first = round * ROUND;
          String key = "s" + step + "r" + round + ".";
          NDArray images = Replica.images(manager, data, rows, first, ROUND);
          ImageDraws.Drawn drawn = ImageDraws.draw(manager, stepSeed, first, ROUND,
              new Shape(3, RESOLUTION, RESOLUTION), net.dropoutLayers(), config.dropout());
          AugmentPipe.Result augmented = pipe.apply(images, ImageDraws.augment(stepSeed, first, ROUND));
          out.put(key + "images", augmented.images());
          out.put(key + "augment_labels", augmented.labels());
          out.put(key + "labels", Replica.oneHot(manager, data, rows, first, ROUND));
          out.put(key + "rnd_normal", drawn.rndNormal());
          out.put(key + "noise", drawn.noise());
          out.put(key + "keep", drawn.dropout().keep().toType(DataType.UINT8, false));
        }
      }
      Safetensors.write(Path.of(args[0]), out);
    }
    System.out.println("wrote " + out.size() + " tensors to " + args[0] + "; dropout layers " + net.dropoutLayers()
        + ", parameters " + net.layout().count());
  }
}
