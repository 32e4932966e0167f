package cedm.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import cedm.io.BadInputException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Against layer6ai-labs/dgm-eval's compute_prdc on fixtures/make_prdc_fixtures.py's features. */
class PrdcTest {
  private static NDList fixture(NDManager m) throws Exception {
    try (InputStream in = Files.newInputStream(Path.of("src/test/resources/fixtures/prdc/prdc.npz"))) {
      return NDList.decode(m, in);
    }
  }

  private static Prdc.Points points(NDList f, String name) {
    NDArray a = f.get(name);
    return new Prdc.Points(a.toFloatArray(), (int) a.getShape().get(0), (int) a.getShape().get(1));
  }

  private static double scalar(NDList f, String name) {
    return f.get(name).toDoubleArray()[0];
  }

  /** Random features (200 real, 150 fake, 16-d) and integer points with exact ties, where < and <= differ. */
  @ParameterizedTest
  @CsvSource({"'', 3", "'', 5", "ties_, 3", "ties_, 5"})
  void theFourScoresAreTheReferenceOnes(String prefix, int k) throws Exception {
    try (NDManager m = NDManager.newBaseManager()) {
      NDList f = fixture(m);
      Prdc.Scores s = Prdc.of(points(f, prefix + "real"), points(f, prefix + "fake"), k, t -> {});
      String suffix = "_k" + k;
      assertEquals(scalar(f, prefix + "precision" + suffix), s.precision(), 1e-12, "precision");
      assertEquals(scalar(f, prefix + "recall" + suffix), s.recall(), 1e-12, "recall");
      assertEquals(scalar(f, prefix + "density" + suffix), s.density(), 1e-12, "density");
      assertEquals(scalar(f, prefix + "coverage" + suffix), s.coverage(), 1e-12, "coverage");
    }
  }

  @Test
  void theRadiiAreTheKthNeighbourDistances() throws Exception {
    try (NDManager m = NDManager.newBaseManager()) {
      NDList f = fixture(m);
      assertArrayEquals(f.get("real_radii_k3").toDoubleArray(), Prdc.radii(points(f, "real"), 3, t -> {}), 1e-5);
      assertArrayEquals(f.get("fake_radii_k5").toDoubleArray(), Prdc.radii(points(f, "fake"), 5, t -> {}), 1e-5);
    }
  }

  /** More points than one tile, so the tiles' edges and progress count are exercised. */
  @Test
  void tilesCoverEveryPair() throws Exception {
    int n = 2100;
    float[] rows = new float[n * 2];
    for (int i = 0; i < n; i++) {
      rows[2 * i] = i;
    }
    Prdc.Points line = new Prdc.Points(rows, n, 2);
    double[] radii = Prdc.radii(line, 2, t -> {});
    assertEquals(1.0, radii[n / 2], "two neighbours at distance 1 in the middle");
    assertEquals(2.0, radii[n - 1], "the end point's second neighbour is 2 away");
    int[] tiles = {0};
    Prdc.Scores s = Prdc.of(line, line, 2, t -> tiles[0] = t);
    assertEquals(Prdc.tiles(n, n), tiles[0]);
    // Inner radii are 1, so a point's ball holds only itself; the ends' radius 2 reaches one more point each.
    assertEquals(new Prdc.Scores(1, 1, (n + 2.0) / n / 2, 1), s);
  }

  @Test
  void aSampleKeepsDistinctRowsInOrderAndDependsOnTheSeed() {
    int n = 100;
    float[] rows = new float[n];
    for (int i = 0; i < n; i++) {
      rows[i] = i;
    }
    Prdc.Points x = new Prdc.Points(rows, n, 1);
    float[] a = Prdc.sample(x, 30, 7).rows();
    assertEquals(30, Arrays.stream(toDoubles(a)).distinct().count());
    float[] sorted = a.clone();
    Arrays.sort(sorted);
    assertArrayEquals(sorted, a);
    assertArrayEquals(a, Prdc.sample(x, 30, 7).rows());
    assertNotEquals(Arrays.toString(a), Arrays.toString(Prdc.sample(x, 30, 8).rows()));
    assertEquals(x, Prdc.sample(x, 100, 7));
  }

  @Test
  void tooFewPointsForKAreRefused() {
    Prdc.Points four = new Prdc.Points(new float[4], 4, 1);
    BadInputException e = assertThrows(BadInputException.class, () -> Prdc.of(four, four, 3, t -> {}));
    assertEquals("evaluation.nearest_k 3 needs at least 5 points per set for prdc, got 4 training images and 4 samples",
        e.getMessage());
  }

  private static double[] toDoubles(float[] a) {
    double[] out = new double[a.length];
    for (int i = 0; i < a.length; i++) {
      out[i] = a[i];
    }
    return out;
  }
}
