package cedm.knn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cedm.io.BadInputException;
import java.util.Arrays;
import java.util.Comparator;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Against a brute-force computation in double precision on random data (no ties there). */
class KnnMinerTest {

  @Test
  void equalsBruteForceAcrossBlockBoundaries() throws Exception {
    int n = 700;
    int d = 24;
    int m = 15;
    float[] x = new float[n * d];
    SplittableRandom r = new SplittableRandom(42);
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) (r.nextGaussian() * (1 + i % 3));
    }
    KnnMiner.Neighbours mined = KnnMiner.mine(x, n, d, m, 128, done -> {});
    double[] norms = new double[n];
    for (int i = 0; i < n; i++) {
      for (int k = 0; k < d; k++) {
        norms[i] += (double) x[i * d + k] * x[i * d + k];
      }
      norms[i] = Math.sqrt(norms[i]);
    }
    for (int i = 0; i < n; i++) {
      final int row = i;
      double[] cos = new double[n];
      for (int j = 0; j < n; j++) {
        double dot = 0;
        for (int k = 0; k < d; k++) {
          dot += (double) x[row * d + k] * x[j * d + k];
        }
        cos[j] = dot / (norms[row] * norms[j]);
      }
      int[] expected = IntStream.range(0, n).filter(j -> j != row).boxed()
          .sorted(Comparator.comparingDouble(j -> -cos[j])).limit(m).mapToInt(Integer::intValue).toArray();
      long[] actual = Arrays.copyOfRange(mined.indices(), i * m, (i + 1) * m);
      assertEquals(Arrays.toString(Arrays.stream(expected).asLongStream().toArray()), Arrays.toString(actual), "row " + i);
      for (int k = 0; k < m; k++) {
        assertEquals(cos[expected[k]], mined.similarities()[i * m + k], 1e-5, "row " + i);
      }
    }
  }

  /** Tiles of the symmetric matrix serve two blocks of rows; any tiling gives the same neighbours. */
  @Test
  void theTilingDoesNotChangeTheResult() throws Exception {
    int n = 500;
    int d = 16;
    float[] x = new float[n * d];
    SplittableRandom r = new SplittableRandom(3);
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) r.nextGaussian();
    }
    KnnMiner.Neighbours whole = KnnMiner.mine(x, n, d, 10, n, done -> {});
    for (int block : new int[] {97, 128, 499}) {
      KnnMiner.Neighbours tiled = KnnMiner.mine(x, n, d, 10, block, done -> {});
      assertTrue(Arrays.equals(whole.indices(), tiled.indices()), "blocks of " + block);
      for (int i = 0; i < whole.similarities().length; i++) {
        assertEquals(whole.similarities()[i], tiled.similarities()[i], 1e-6, "blocks of " + block + ", entry " + i);
      }
    }
  }

  @Test
  void anImageIsNeverItsOwnNeighbourEvenAmongDuplicates() throws Exception {
    float[] x = new float[6 * 2];
    Arrays.fill(x, 1f);
    KnnMiner.Neighbours mined = KnnMiner.mine(x, 6, 2, 4, 4, done -> {});
    for (int i = 0; i < 6; i++) {
      for (int k = 0; k < 4; k++) {
        assertTrue(mined.indices()[i * 4 + k] != i, "row " + i);
      }
    }
  }

  @Test
  void tooManyNeighboursIsBadInput() {
    assertThrows(BadInputException.class, () -> KnnMiner.mine(new float[10], 5, 2, 4, 4, done -> {}));
  }
}
