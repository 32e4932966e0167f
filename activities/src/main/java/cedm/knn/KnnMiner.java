package cedm.knn;

import cedm.io.BadInputException;
import java.nio.FloatBuffer;
import java.util.function.IntConsumer;
import java.util.stream.IntStream;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.openblas.global.openblas;

/**
 * The m nearest neighbours of every feature vector by cosine similarity, self excluded (TEMI's
 * {@code compute_neighbors}): rows are L2-normalised, and the similarity matrix, which is
 * symmetric, is computed one tile of blocks (I, J >= I) at a time by OpenBLAS's sgemm. Each tile
 * serves the rows of I and, read by columns, those of J: half the matrix products of the full
 * N x N product the reference takes. The tile is read where OpenBLAS wrote it, and each row keeps
 * its best m + 1 as they go past, so memory stays at O(block^2) however large N is.
 */
public final class KnnMiner {
  /** Tiles of 4096 x 4096 similarities (64 MB): large enough for the product to run at full speed. */
  public static final int BLOCK_ROWS = 4096;

  /** Neighbour indices [n, m] (most similar first) and their cosine similarities. */
  public record Neighbours(int n, int m, long[] indices, float[] similarities) {}

  private KnnMiner() {}

  /**
   * @param features row-major [n, d]
   * @param blockRows rows of a block: tiles are blockRows x blockRows
   * @param progress called with the number of rows' worth of similarities finished
   */
  public static Neighbours mine(float[] features, int n, int d, int m, int blockRows, IntConsumer progress)
      throws BadInputException {
    if (m >= n - 1) {
      throw new BadInputException("cannot mine " + m + " neighbours among " + n + " images (allowed: m < N - 1)");
    }
    TopLists best = new TopLists(n, m + 1);
    int blocks = (n + blockRows - 1) / blockRows;
    long tiles = (long) blocks * (blocks + 1) / 2;
    long finished = 0;
    int threads = Math.max(1, Runtime.getRuntime().availableProcessors());
    try (FloatPointer normed = new FloatPointer(normalised(features, n, d));
        FloatPointer tile = new FloatPointer((long) Math.min(blockRows, n) * Math.min(blockRows, n))) {
      FloatBuffer values = tile.asBuffer();
      for (int bi = 0; bi < blocks; bi++) {
        int startI = bi * blockRows;
        int rowsI = Math.min(blockRows, n - startI);
        for (int bj = bi; bj < blocks; bj++) {
          int startJ = bj * blockRows;
          int rowsJ = Math.min(blockRows, n - startJ);
          openblas.cblas_sgemm(openblas.CblasRowMajor, openblas.CblasNoTrans, openblas.CblasTrans, rowsI, rowsJ, d, 1f,
              normed.getPointer((long) startI * d), d, normed.getPointer((long) startJ * d), d, 0f, tile, rowsJ);
          boolean mirrored = bj != bi;
          // Rows of I and rows of J are different lists, so their updates run side by side.
          IntStream.range(0, mirrored ? 2 * threads : threads).parallel().forEach(task -> {
            if (task < threads) {
              best.offerRows(values, rowsI, rowsJ, startI, startJ, rowsI * task / threads, rowsI * (task + 1) / threads);
            } else {
              int t = task - threads;
              best.offerColumns(values, rowsI, rowsJ, startI, startJ, rowsJ * t / threads, rowsJ * (t + 1) / threads);
            }
          });
          finished++;
          progress.accept((int) (finished * n / tiles));
        }
      }
    }
    long[] indices = new long[Math.multiplyExact(n, m)];
    float[] similarities = new float[n * m];
    best.dropSelf(indices, similarities);
    return new Neighbours(n, m, indices, similarities);
  }

  /** Rows divided by their L2 norm (at least 1e-12, as torch's normalize). */
  private static float[] normalised(float[] features, int n, int d) {
    float[] out = new float[n * d];
    for (int i = 0; i < n; i++) {
      double sum = 0;
      for (int k = 0; k < d; k++) {
        sum += (double) features[i * d + k] * features[i * d + k];
      }
      float norm = (float) Math.max(Math.sqrt(sum), 1e-12);
      for (int k = 0; k < d; k++) {
        out[i * d + k] = features[i * d + k] / norm;
      }
    }
    return out;
  }
}
