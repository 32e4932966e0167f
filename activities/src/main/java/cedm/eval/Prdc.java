package cedm.eval;

import cedm.io.BadInputException;
import cedm.spec.EvaluationSpec.Result;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.IntConsumer;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.openblas.global.openblas;

/**
 * Precision and recall (Kynkaanniemi et al. 2019) and density and coverage (Naeem et al. 2020)
 * of fake features against real ones, as layer6ai-labs/dgm-eval's {@code compute_prdc} computes
 * them: Euclidean distances; each point's radius is its k-th nearest neighbour in its own set
 * (the (k+1)-th smallest distance, itself and duplicates included); every comparison strict.
 * Distances come from float64 products (OpenBLAS dgemm) one tile of rows at a time, so memory
 * stays O(tile^2) however many points there are.
 */
public final class Prdc {
  /** Rows of a tile: 2048 x 2048 float64 distances (32 MB). */
  public static final int TILE = 2048;

  /** The four scores: precision, recall, density, coverage. */
  public record Scores(double precision, double recall, double density, double coverage) {
    /** Named as the evaluation artifact records them. */
    public Map<String, Double> byName() {
      Map<String, Double> out = new LinkedHashMap<>();
      out.put(Result.PRECISION.id(), precision);
      out.put(Result.RECALL.id(), recall);
      out.put(Result.DENSITY.id(), density);
      out.put(Result.COVERAGE.id(), coverage);
      return out;
    }
  }

  /** Row-major features [n, d]. */
  public record Points(float[] rows, int n, int d) {
    public Points {
      if (rows.length != (long) n * d) {
        throw new IllegalArgumentException(rows.length + " values are not " + n + " x " + d);
      }
    }
  }

  private Prdc() {}

  /**
   * @param k nearest neighbour that sets a radius; each set needs at least k + 2 points, as the
   *     reference's argpartition does
   * @param progress called with the number of tiles done of the three products
   */
  public static Scores of(Points real, Points fake, int k, IntConsumer progress) throws BadInputException {
    if (real.d() != fake.d()) {
      throw new IllegalArgumentException("real features have " + real.d() + " dimensions, fake " + fake.d());
    }
    if (Math.min(real.n(), fake.n()) < k + 2) {
      throw new BadInputException("evaluation.nearest_k " + k + " needs at least " + (k + 2)
          + " points per set for prdc, got " + real.n() + " training images and " + fake.n() + " samples");
    }
    int[] done = {0};
    IntConsumer tileDone = t -> progress.accept(++done[0]);
    double[] realRadii = radii(real, k, tileDone);
    double[] fakeRadii = radii(fake, k, tileDone);
    boolean[] fakeInReal = new boolean[fake.n()];
    long[] realBalls = new long[fake.n()];
    boolean[] realInFake = new boolean[real.n()];
    double[] nearestFake = new double[real.n()];
    Arrays.fill(nearestFake, Double.POSITIVE_INFINITY);
    forEachTile(real, fake, (tile, i0, rows, j0, cols) -> {
      for (int r = 0; r < rows; r++) {
        int i = i0 + r;
        for (int c = 0; c < cols; c++) {
          int j = j0 + c;
          double dist = tile[r * cols + c];
          if (dist < realRadii[i]) {
            fakeInReal[j] = true;
            realBalls[j]++;
          }
          if (dist < fakeRadii[j]) {
            realInFake[i] = true;
          }
          nearestFake[i] = Math.min(nearestFake[i], dist);
        }
      }
      tileDone.accept(0);
    });
    int covered = 0;
    for (int i = 0; i < real.n(); i++) {
      covered += nearestFake[i] < realRadii[i] ? 1 : 0;
    }
    return new Scores(share(fakeInReal), share(realInFake),
        Arrays.stream(realBalls).average().orElse(Double.NaN) / k, (double) covered / real.n());
  }

  /**
   * {@code count} of the points, drawn without replacement by {@code seed} and kept in their order,
   * as dgm-eval cuts both sets to min(reduced_n, N, M) before scoring (its numpy draw is not
   * reproduced: the same seed gives the same rows here, not there).
   */
  public static Points sample(Points x, int count, long seed) {
    if (count >= x.n()) {
      return x;
    }
    int[] kept = pick(x.n(), count, seed);
    float[] rows = new float[count * x.d()];
    for (int r = 0; r < count; r++) {
      System.arraycopy(x.rows(), kept[r] * x.d(), rows, r * x.d(), x.d());
    }
    return new Points(rows, count, x.d());
  }

  /** The indices {@link #sample} keeps of {@code n} points, ascending: all of them when count >= n. */
  public static int[] pick(int n, int count, long seed) {
    int[] order = new int[n];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    if (count >= n) {
      return order;
    }
    SplittableRandom random = new SplittableRandom(seed);
    for (int i = 0; i < count; i++) {
      int pick = i + random.nextInt(n - i);
      int t = order[i];
      order[i] = order[pick];
      order[pick] = t;
    }
    int[] kept = Arrays.copyOf(order, count);
    Arrays.sort(kept);
    return kept;
  }

  /** Tiles of the three products {@link #of} computes: real x real, fake x fake, real x fake. */
  public static int tiles(int realN, int fakeN) {
    int r = (realN + TILE - 1) / TILE;
    int f = (fakeN + TILE - 1) / TILE;
    return r * r + f * f + r * f;
  }

  /** Each point's distance to its k-th nearest neighbour in its own set. */
  static double[] radii(Points x, int k, IntConsumer tileDone) {
    double[] smallest = new double[x.n() * (k + 1)];
    Arrays.fill(smallest, Double.POSITIVE_INFINITY);
    forEachTile(x, x, (tile, i0, rows, j0, cols) -> {
      for (int r = 0; r < rows; r++) {
        int base = (i0 + r) * (k + 1);
        for (int c = 0; c < cols; c++) {
          double dist = i0 + r == j0 + c ? 0 : tile[r * cols + c];
          if (dist < smallest[base + k]) {
            int at = base + k;
            while (at > base && smallest[at - 1] > dist) {
              smallest[at] = smallest[at - 1];
              at--;
            }
            smallest[at] = dist;
          }
        }
      }
      tileDone.accept(0);
    });
    double[] radii = new double[x.n()];
    for (int i = 0; i < x.n(); i++) {
      radii[i] = smallest[i * (k + 1) + k];
    }
    return radii;
  }

  private interface TileConsumer {
    void accept(double[] distances, int firstRow, int rows, int firstColumn, int columns);
  }

  /** Distances sqrt(max(|a|^2 + |b|^2 - 2 a.b, 0)) between a's and b's rows, one row-major tile at a time. */
  private static void forEachTile(Points a, Points b, TileConsumer consumer) {
    int d = a.d();
    double[] normsA = squaredNorms(a);
    double[] normsB = a == b ? normsA : squaredNorms(b);
    int tileA = Math.min(TILE, a.n());
    int tileB = Math.min(TILE, b.n());
    double[] tile = new double[tileA * tileB];
    try (DoublePointer blockA = new DoublePointer((long) tileA * d); DoublePointer blockB = new DoublePointer((long) tileB * d);
        DoublePointer product = new DoublePointer((long) tileA * tileB)) {
      for (int i0 = 0; i0 < a.n(); i0 += TILE) {
        int rows = Math.min(TILE, a.n() - i0);
        upcast(a, i0, rows, blockA);
        for (int j0 = 0; j0 < b.n(); j0 += TILE) {
          int cols = Math.min(TILE, b.n() - j0);
          upcast(b, j0, cols, blockB);
          openblas.cblas_dgemm(openblas.CblasRowMajor, openblas.CblasNoTrans, openblas.CblasTrans, rows, cols, d, 1.0,
              blockA, d, blockB, d, 0.0, product, cols);
          product.get(tile, 0, rows * cols);
          for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
              double squared = normsA[i0 + r] + normsB[j0 + c] - 2 * tile[r * cols + c];
              tile[r * cols + c] = Math.sqrt(Math.max(squared, 0));
            }
          }
          consumer.accept(tile, i0, rows, j0, cols);
        }
      }
    }
  }

  private static void upcast(Points x, int first, int count, DoublePointer block) {
    double[] values = new double[count * x.d()];
    int offset = first * x.d();
    for (int v = 0; v < values.length; v++) {
      values[v] = x.rows()[offset + v];
    }
    block.put(values, 0, values.length);
  }

  private static double[] squaredNorms(Points x) {
    double[] norms = new double[x.n()];
    for (int i = 0; i < x.n(); i++) {
      double sum = 0;
      for (int c = 0; c < x.d(); c++) {
        double v = x.rows()[i * x.d() + c];
        sum += v * v;
      }
      norms[i] = sum;
    }
    return norms;
  }

  private static double share(boolean[] flags) {
    int count = 0;
    for (boolean f : flags) {
      count += f ? 1 : 0;
    }
    return (double) count / flags.length;
  }
}
