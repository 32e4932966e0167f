package cedm.edm;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import cedm.optim.Autograd;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * {@link Layers#conv} against the convolution's definition, in double precision and plain Java:
 * the output and the gradients of the input, the weights and the bias, for channel counts that are and are not
 * whole oneDNN blocks. On an AMD EPYC, libtorch's own convolution got the output wrong for 24 and
 * 40 input channels, and the input gradient wrong (from call to call) for 3 and 8 output channels
 * (issue 25). Each case runs 3 times on freed memory filled with NaN.
 */
class ConvolutionTest {
  private static final int BATCH = 2;
  private static final int SIZE = 6;

  @Test
  void outputAndGradientsEqualTheDefinitionForAnyChannelCount() {
    List<String> wrong = new ArrayList<>();
    int[][] channels = {{3, 16}, {16, 3}, {16, 8}, {24, 16}, {40, 8}, {8, 24}, {32, 32}};
    try (NDManager manager = NDManager.newBaseManager()) {
      for (int[] c : channels) {
        for (int kernel : new int[] {1, 3}) {
          for (int repeat = 0; repeat < 3; repeat++) {
            try (NDManager m = manager.newSubManager()) {
              GradientSelfCheck.fillFreedMemoryWithNan(m);
              check(m, c[0], c[1], kernel, wrong);
            }
          }
        }
      }
    }
    assertTrue(wrong.isEmpty(), String.join("\n", wrong));
  }

  private static void check(NDManager m, int in, int out, int k, List<String> wrong) {
    float[] xv = values(BATCH * in * SIZE * SIZE, 1);
    float[] wv = values(out * in * k * k, 2);
    float[] bv = values(out, 3);
    float[] gv = values(BATCH * out * SIZE * SIZE, 4);
    NDArray x = m.create(xv, new Shape(BATCH, in, SIZE, SIZE));
    NDArray w = m.create(wv, new Shape(out, in, k, k));
    NDArray b = m.create(bv, new Shape(out));
    NDArray g = m.create(gv, new Shape(BATCH, out, SIZE, SIZE));
    x.setRequiresGradient(true);
    w.setRequiresGradient(true);
    b.setRequiresGradient(true);
    NDArray[] y = new NDArray[1];
    Autograd.backward(() -> {
      y[0] = Layers.conv(x, w, b);
      return y[0].mul(g).sum();
    });
    Definition d = new Definition(xv, wv, bv, gv, in, out, k);
    String at = String.format(Locale.ROOT, "%d -> %d channels, %dx%d: ", in, out, k, k);
    compare(at + "output", y[0].toFloatArray(), d.output, wrong);
    compare(at + "input gradient", x.getGradient().toFloatArray(), d.inputGradient, wrong);
    compare(at + "weight gradient", w.getGradient().toFloatArray(), d.weightGradient, wrong);
    compare(at + "bias gradient", b.getGradient().toFloatArray(), d.biasGradient, wrong);
  }

  private static void compare(String what, float[] actual, double[] expected, List<String> wrong) {
    double worst = 0;
    for (int i = 0; i < expected.length; i++) {
      double error = Math.abs(actual[i] - expected[i]) / (1 + Math.abs(expected[i]));
      worst = Double.isNaN(error) ? Double.NaN : Math.max(worst, error);
    }
    // float32 sums of at most 40 x 9 terms of size ~1: rounding stays below 1e-5.
    if (!(worst <= 1e-5)) {
      wrong.add(what + " off by " + worst);
    }
  }

  private static float[] values(int n, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      v[i] = (float) (r.nextDouble() * 2 - 1);
    }
    return v;
  }

  /** y = conv(x, w) + b with zero padding k/2, and the gradients of sum(y * g), by their sums. */
  private static final class Definition {
    final double[] output;
    final double[] inputGradient;
    final double[] weightGradient;
    final double[] biasGradient;

    Definition(float[] x, float[] w, float[] b, float[] g, int in, int out, int k) {
      int p = k / 2;
      output = new double[BATCH * out * SIZE * SIZE];
      inputGradient = new double[x.length];
      weightGradient = new double[w.length];
      biasGradient = new double[out];
      for (int n = 0; n < BATCH; n++) {
        for (int o = 0; o < out; o++) {
          for (int i = 0; i < SIZE; i++) {
            for (int j = 0; j < SIZE; j++) {
              int yi = ((n * out + o) * SIZE + i) * SIZE + j;
              double sum = b[o];
              biasGradient[o] += g[yi];
              for (int c = 0; c < in; c++) {
                for (int u = 0; u < k; u++) {
                  for (int v = 0; v < k; v++) {
                    int si = i + u - p;
                    int sj = j + v - p;
                    if (si < 0 || sj < 0 || si >= SIZE || sj >= SIZE) {
                      continue;
                    }
                    int xi = ((n * in + c) * SIZE + si) * SIZE + sj;
                    int wi = ((o * in + c) * k + u) * k + v;
                    sum += (double) x[xi] * w[wi];
                    inputGradient[xi] += (double) g[yi] * w[wi];
                    weightGradient[wi] += (double) g[yi] * x[xi];
                  }
                }
              }
              output[yi] = sum;
            }
          }
        }
      }
    }
  }
}
