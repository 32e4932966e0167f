package cedm.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import cedm.io.BadInputException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Against fixtures/make_fid_fixtures.py: scipy's sqrtm-based distance and numpy's mean/cov. */
class FrechetDistanceTest {
  static final Path DIR = Path.of("src/test/resources/fixtures/fid");

  private static NDList read(NDManager m, String file) throws Exception {
    try (InputStream in = Files.newInputStream(DIR.resolve(file))) {
      return NDList.decode(m, in);
    }
  }

  /** sigma = A A^T / k + diag(e), as the fixture script builds it. */
  private static double[] covariance(double[] a, double[] e, int d) {
    int k = a.length / d;
    double[] s = new double[d * d];
    for (int i = 0; i < d; i++) {
      for (int j = 0; j < d; j++) {
        double v = 0;
        for (int r = 0; r < k; r++) {
          v += a[i * k + r] * a[j * k + r];
        }
        s[i * d + j] = v / k + (i == j ? e[i] : 0);
      }
    }
    return s;
  }

  private static void check(int d) throws Exception {
    try (NDManager m = NDManager.newBaseManager()) {
      NDList f = read(m, "frechet_" + d + ".npz");
      double[] s1 = covariance(f.get("a1").toDoubleArray(), f.get("e1").toDoubleArray(), d);
      double[] s2 = covariance(f.get("a2").toDoubleArray(), f.get("e2").toDoubleArray(), d);
      double expected = f.get("fid").getDouble(0);
      double actual = FrechetDistance.of(f.get("mu1").toDoubleArray(), s1, f.get("mu2").toDoubleArray(), s2);
      assertEquals(expected, actual, 1e-6 * expected, "d = " + d);
      assertEquals(0, FrechetDistance.of(f.get("mu1").toDoubleArray(), s1, f.get("mu1").toDoubleArray(), s1),
          1e-6 * expected, "a distribution is at distance 0 from itself");
    }
  }

  @Test
  void equalsScipyAtDimension64() throws Exception {
    check(64);
  }

  @Test
  void equalsScipyAtDimension2048() throws Exception {
    check(2048);
  }

  @Test
  void streamingStatisticsEqualNumpysMeanAndCovariance(@TempDir Path tmp) throws Exception {
    try (NDManager m = NDManager.newBaseManager()) {
      NDList f = read(m, "statistics.npz");
      float[] features = f.get("features").toFloatArray();
      FeatureStatistics stats = new FeatureStatistics(64);
      stats.add(java.util.Arrays.copyOfRange(features, 0, 64 * 123), 123);
      stats.add(java.util.Arrays.copyOfRange(features, 64 * 123, features.length), 500 - 123);
      assertArrayEquals(f.get("mu").toDoubleArray(), stats.mu(), 1e-10);
      assertArrayEquals(f.get("sigma").toDoubleArray(), stats.sigma(), 1e-9);

      Path file = tmp.resolve("ref.npz");
      stats.moments().write(file);
      FeatureStatistics.Moments back = FeatureStatistics.Moments.read(file);
      assertArrayEquals(stats.mu(), back.mu(), 0);
      assertArrayEquals(stats.sigma(), back.sigma(), 0);
      BadInputException e = assertThrows(BadInputException.class,
          () -> FeatureStatistics.Moments.read(DIR.resolve("frechet_64.npz")));
      assertTrue(e.getMessage().contains("expected arrays mu [d] and sigma [d, d]"), e.getMessage());
    }
  }
}
