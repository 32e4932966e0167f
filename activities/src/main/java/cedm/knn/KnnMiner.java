package cedm.knn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import cedm.io.BadInputException;
import java.util.function.IntConsumer;

/**
 * The m nearest neighbours of every feature vector by cosine similarity, self excluded (TEMI's
 * {@code compute_neighbors}): rows are L2-normalised, and the similarity matrix is computed one
 * block of rows at a time so that memory stays at O(block x N) however large N is.
 */
public final class KnnMiner {

  /** Neighbour indices [n, m] (most similar first) and their cosine similarities. */
  public record Neighbours(int n, int m, long[] indices, float[] similarities) {}

  private KnnMiner() {}

  /**
   * @param features row-major [n, d]
   * @param blockRows rows of the similarity matrix computed at once
   * @param progress called with the number of rows finished
   */
  public static Neighbours mine(NDManager parent, float[] features, int n, int d, int m, int blockRows, IntConsumer progress)
      throws BadInputException {
    if (m >= n - 1) {
      throw new BadInputException("cannot mine " + m + " neighbours among " + n + " images (allowed: m < N - 1)");
    }
    long[] indices = new long[Math.multiplyExact(n, m)];
    float[] similarities = new float[n * m];
    try (NDManager manager = parent.newSubManager()) {
      NDArray x = manager.create(features, new Shape(n, d));
      NDArray normed = x.div(x.norm(new int[] {1}, true).maximum(1e-12f));
      NDArray transposed = normed.transpose().duplicate();
      for (int start = 0; start < n; start += blockRows) {
        int rows = Math.min(blockRows, n - start);
        try (NDManager scope = manager.newSubManager()) {
          NDArray block = normed.get(new NDIndex("{}:{}", start, start + rows));
          block.attach(scope);
          NDList top = block.matMul(transposed).topK(m + 1, 1, true, true);
          dropSelf(top.get(0).toFloatArray(), top.get(1).toType(DataType.INT64, false).toLongArray(),
              start, rows, m, indices, similarities);
        }
        progress.accept(start + rows);
      }
    }
    return new Neighbours(n, m, indices, similarities);
  }

  /**
   * Keeps the best m of each row's m + 1 candidates other than the row itself: the same result as
   * setting the diagonal to -inf before the top-k (TEMI), without a mask as large as the block.
   */
  private static void dropSelf(float[] sims, long[] idx, int start, int rows, int m, long[] indices, float[] similarities) {
    for (int r = 0; r < rows; r++) {
      int out = (start + r) * m;
      int kept = 0;
      for (int j = 0; j <= m && kept < m; j++) {
        if (idx[r * (m + 1) + j] != start + r) {
          indices[out + kept] = idx[r * (m + 1) + j];
          similarities[out + kept] = sims[r * (m + 1) + j];
          kept++;
        }
      }
    }
  }
}
