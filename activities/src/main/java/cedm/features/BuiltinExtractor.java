package cedm.features;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;
import cedm.memory.InputBuffer;
import java.util.SplittableRandom;

/**
 * A weight-free stand-in for DINO in demos and tests: a random convolutional network whose weights
 * are drawn from the seed (He-normal), never trained. Three 3x3 stride-2 convolutions with ReLU,
 * then global average pooling to {@code dim} features. It is NOT pre-trained and every result
 * computed with it says so.
 */
public final class BuiltinExtractor implements FeatureExtractor {
  private static final int[] WIDTHS = {32, 64};

  private final NDManager manager;
  private final NDArray[] weights;
  private final NDArray[] biases;
  private final int dim;
  private final InputBuffer input = new InputBuffer();

  public BuiltinExtractor(long seed, int dim, Device device) {
    this.manager = NDManager.newBaseManager(device);
    this.dim = dim;
    int[] channels = {3, WIDTHS[0], WIDTHS[1], dim};
    SplittableRandom random = new SplittableRandom(seed ^ 0x5DEECE66DL);
    weights = new NDArray[3];
    biases = new NDArray[3];
    for (int l = 0; l < 3; l++) {
      int in = channels[l];
      int out = channels[l + 1];
      float[] w = new float[out * in * 9];
      double std = Math.sqrt(2.0 / (in * 9));
      for (int i = 0; i < w.length; i++) {
        w[i] = (float) (gaussian(random) * std);
      }
      weights[l] = manager.create(w, new Shape(out, in, 3, 3));
      biases[l] = manager.zeros(new Shape(out));
    }
  }

  /** Box-Muller from a SplittableRandom: the same weights on every platform and JVM. */
  private static double gaussian(SplittableRandom random) {
    double u = 1.0 - random.nextDouble();
    double v = random.nextDouble();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  @Override
  public float[] extract(float[] nchw, int count, int height, int width) {
    try (NDManager scope = manager.newSubManager()) {
      NDArray x = input.wrap(scope, nchw, new Shape(count, 3, height, width));
      for (int l = 0; l < 3; l++) {
        x = Conv2d.conv2d(x, weights[l], biases[l], new Shape(2, 2), new Shape(1, 1), new Shape(1, 1), 1).singletonOrThrow();
        x = ai.djl.nn.Activation.relu(x);
      }
      return x.reshape(count, dim, -1).mean(new int[] {2}).toFloatArray();
    }
  }

  @Override
  public int dim() {
    return dim;
  }

  @Override
  public String describe() {
    return "builtin random CNN (NOT pre-trained)";
  }

  @Override
  public void close() {
    manager.close();
  }
}
