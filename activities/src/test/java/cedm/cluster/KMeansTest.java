package cedm.cluster;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import cedm.io.Npy;
import cedm.spec.KmeansSpec;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class KMeansTest {
  private static final KmeansSpec DEFAULTS = new KmeansSpec(10, 300, 1e-4);

  @ParameterizedTest
  @ValueSource(strings = {"blobs", "overlap"})
  void reachesScikitLearnsInertiaWithinOnePercent(String name) throws Exception {
    float[] x = Npy.readFloats(ClusterScoringTest.fixture("kmeans_" + name + ".npy"));
    long[] shape = Npy.readHeader(ClusterScoringTest.fixture("kmeans_" + name + ".npy")).shape();
    JsonNode expected = new ObjectMapper().readTree(ClusterScoringTest.fixture("kmeans.json").toFile()).get(name);
    int k = expected.get("k").asInt();
    try (NDManager m = NDManager.newBaseManager()) {
      KMeans.Result r = KMeans.fit(m, x, (int) shape[0], (int) shape[1], k, DEFAULTS, 0, done -> {});
      double reference = expected.get("inertia").asDouble();
      assertTrue(r.inertia() <= reference * 1.01, "inertia " + r.inertia() + " vs scikit-learn " + reference);
      assertEquals(k, Arrays.stream(r.labels()).distinct().count());
      assertEquals(r.inertia(), inertia(x, (int) shape[1], r.labels(), k), 1e-3 * r.inertia(), "reported inertia is the labels'");
    }
  }

  private static double inertia(float[] x, int d, long[] labels, int k) {
    double[] sums = new double[k * d];
    long[] counts = new long[k];
    for (int i = 0; i < labels.length; i++) {
      counts[(int) labels[i]]++;
      for (int j = 0; j < d; j++) {
        sums[(int) labels[i] * d + j] += x[i * d + j];
      }
    }
    double total = 0;
    for (int i = 0; i < labels.length; i++) {
      int c = (int) labels[i];
      for (int j = 0; j < d; j++) {
        double diff = x[i * d + j] - sums[c * d + j] / counts[c];
        total += diff * diff;
      }
    }
    return total;
  }

  @Test
  void theSameSeedGivesTheSameClustering() {
    float[] x = new float[300 * 4];
    java.util.SplittableRandom r = new java.util.SplittableRandom(9);
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) r.nextGaussian();
    }
    try (NDManager m = NDManager.newBaseManager()) {
      KMeans.Result a = KMeans.fit(m, x, 300, 4, 5, new KmeansSpec(2, 300, 1e-4), 11, done -> {});
      KMeans.Result b = KMeans.fit(m, x, 300, 4, 5, new KmeansSpec(2, 300, 1e-4), 11, done -> {});
      assertArrayEquals(a.labels(), b.labels());
    }
  }
}
