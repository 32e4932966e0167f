package cedm.edm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class SamplerTest {
  @Test
  void noiseLevelsFollowEdm() {
    double[] t = new HeunSampler(18, 0.002, 80, 7).noiseLevels();
    assertEquals(19, t.length);
    assertEquals(80, t[0], 1e-12);
    assertEquals(0.002, t[17], 1e-15);
    assertEquals(0, t[18]);
    double a = Math.pow(80, 1 / 7.0);
    double b = Math.pow(0.002, 1 / 7.0);
    assertEquals(Math.pow(a + 9 / 17.0 * (b - a), 7), t[9], 1e-12);
  }

  /**
   * For data N(mu, s0^2) the ideal denoiser is mu + s0^2/(s0^2+sigma^2) (x - mu), and the
   * probability-flow ODE maps x(sigma_max) to mu + (x(sigma_max) - mu) s0 / sqrt(s0^2 + sigma_max^2).
   * Heun's error against that closed form falls as 1/N^2; at EDM's 18 steps the sampler equals an
   * independent scalar Heun integration.
   */
  @Test
  void withAnAnalyticDenoiserTheSamplerConvergesToTheClosedForm() {
    double mu = 0.3;
    double s0 = 0.5;
    HeunSampler.Denoiser ideal = (x, sigma) -> x.sub(mu).mul(s0 * s0 / (s0 * s0 + sigma * sigma)).add(mu);
    try (NDManager m = NDManager.newBaseManager()) {
      m.getEngine().setRandomSeed(1);
      NDArray latents = m.randomNormal(new Shape(64, 3, 4, 4));
      NDArray exact = latents.toType(DataType.FLOAT64, false).mul(80).sub(mu).mul(s0 / Math.sqrt(s0 * s0 + 80 * 80))
          .add(mu);
      double[] errors = new double[3];
      int[] steps = {100, 200, 400};
      for (int k = 0; k < 3; k++) {
        NDArray x = new HeunSampler(steps[k], 0.002, 80, 7).sample(ideal, latents);
        assertEquals(DataType.FLOAT64, x.getDataType());
        errors[k] = x.sub(exact).abs().max().getDouble();
      }
      assertTrue(errors[2] < 2e-3, "error at 400 steps " + errors[2]);
      for (int k = 0; k < 2; k++) {
        double order = Math.log(errors[k] / errors[k + 1]) / Math.log(2);
        assertEquals(2, order, 0.3, "second-order convergence " + Arrays.toString(errors));
      }
      double z = latents.getFloat(0, 0, 0, 0);
      double expected = scalarHeun(z * 80, 18, mu, s0);
      double actual = new HeunSampler(18, 0.002, 80, 7).sample(ideal, latents).getDouble(0, 0, 0, 0);
      assertEquals(expected, actual, 1e-12);
    }
  }

  private static double scalarHeun(double x, int n, double mu, double s0) {
    double[] t = new double[n + 1];
    for (int i = 0; i < n; i++) {
      t[i] = Math.pow(Math.pow(80, 1 / 7.0) + i / (n - 1.0) * (Math.pow(0.002, 1 / 7.0) - Math.pow(80, 1 / 7.0)), 7);
    }
    for (int i = 0; i < n; i++) {
      double d = (x - (mu + s0 * s0 / (s0 * s0 + t[i] * t[i]) * (x - mu))) / t[i];
      double next = x + (t[i + 1] - t[i]) * d;
      if (i < n - 1) {
        double d2 = (next - (mu + s0 * s0 / (s0 * s0 + t[i + 1] * t[i + 1]) * (next - mu))) / t[i + 1];
        next = x + (t[i + 1] - t[i]) * (0.5 * d + 0.5 * d2);
      }
      x = next;
    }
    return x;
  }

  /** The fixture network's sampler, its weights in {@code m}, q(c) over three classes. */
  private static SampleGenerator fixtureGenerator(NDManager m, int steps, int microBatch) throws Exception {
    SongUNet net = new SongUNet(EdmFixtures.CONFIG);
    NetworkParameters params = NetworkParameters.load(net.layout(), m, EdmFixtures.DIR.resolve("net.safetensors"));
    return new SampleGenerator(new EdmPrecond(net), params, new HeunSampler(steps, 0.002, 80, 7),
        new long[] {10, 30, 60}, microBatch);
  }

  @Test
  void anImageDependsOnItsSeedNotOnItsBatch() throws Exception {
    try (NDManager m = NDManager.newBaseManager()) {
      SampleGenerator g = fixtureGenerator(m, 6, 3);
      NDArray big = g.generate(m, new long[] {5, 6, 7, 8, 9});
      NDArray small = g.generate(m, new long[] {7, 11});
      NDArray fromBig = big.get(new NDIndex("2:3"));
      NDArray fromSmall = small.get(new NDIndex("0:1"));
      double diff = fromBig.sub(fromSmall).abs().max().getDouble();
      assertEquals(0, diff, "seed 7 at position 2 of 5 and 0 of 2");
      assertArrayEquals(SampleGenerator.toPixels(fromBig), SampleGenerator.toPixels(fromSmall), "identical pixels");
      assertTrue(big.get(new NDIndex("0:1")).sub(fromBig).abs().max().getDouble() > 0.1, "other seeds differ");
    }
  }

  /**
   * Memory follows the micro-batch, not the shard: once a call returns, the manager holds what it
   * held before, whether one micro-batch ran or three; and within a call every Heun step sees the
   * same number of live arrays, so nothing of a finished step is kept.
   */
  @Test
  void liveArraysDoNotGrowWithMicroBatchesOrSteps() throws Exception {
    try (NDManager m = NDManager.newBaseManager()) {
      SampleGenerator g = fixtureGenerator(m, 4, 2);
      int before = m.getManagedArrays().size();
      g.generate(m, new long[] {1, 2}).close();
      int afterOne = m.getManagedArrays().size();
      g.generate(m, new long[] {1, 2, 3, 4, 5, 6}).close();
      assertEquals(afterOne, m.getManagedArrays().size(), "three micro-batches leave what one leaves");
      assertEquals(before, afterOne, "a finished call leaves nothing behind");
      byte[] pixels = g.pixels(m, new long[] {1, 2, 3, 4, 5});
      assertEquals(before, m.getManagedArrays().size(), "pixels leave nothing behind");
      assertEquals(5 * 3 * EdmFixtures.CONFIG.resolution() * EdmFixtures.CONFIG.resolution(), pixels.length);

      List<Integer> live = new ArrayList<>();
      HeunSampler.Denoiser counting = (x, sigma) -> {
        live.add(m.getManagedArrays().size());
        return x.mul(0.5);
      };
      new HeunSampler(6, 0.002, 80, 7).sample(counting, m.randomNormal(new Shape(2, 3, 4, 4), DataType.FLOAT64)).close();
      assertEquals(11, live.size(), "2N - 1 evaluations");
      for (int call = 2; call < live.size(); call += 2) {
        assertEquals(live.get(0), live.get(call), "live arrays at each step's first evaluation: " + live);
      }
    }
  }

  @Test
  void labelsFollowTheClassFrequencies() {
    SampleGenerator g = new SampleGenerator(null, null, new HeunSampler(2, 0.002, 80, 7), new long[] {10, 30, 0, 60}, 1);
    int[] counts = new int[4];
    for (long seed = 0; seed < 20_000; seed++) {
      counts[g.label(seed)]++;
    }
    assertEquals(0, counts[2], "an empty class is never drawn");
    double[] q = {0.1, 0.3, 0, 0.6};
    for (int c = 0; c < 4; c++) {
      assertEquals(q[c], counts[c] / 20_000.0, 0.015, "class " + c + " of " + Arrays.toString(counts));
    }
    assertEquals(g.label(123), g.label(123));
  }
}
