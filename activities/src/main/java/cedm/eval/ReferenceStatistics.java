package cedm.eval;

import cedm.io.Npy;
import cedm.io.NpyWriter;
import java.nio.file.Path;
import java.util.function.IntConsumer;

/**
 * The training images' features through one encoder: their moments, and every row streamed to a
 * file when a metric compares samples one by one. Images are read from their file a block at a
 * time and the encoder runs in its own batches, so memory is one block whatever the dataset's size.
 */
public final class ReferenceStatistics {
  /** Training images read from their file at a time. */
  public static final int READ_BLOCK = 500;

  private ReferenceStatistics() {}

  /**
   * @param images uint8 [n, h, w, 3]
   * @param rows where every feature row goes, [n, d] float32; null to keep only the moments
   * @param progress hears the number of images encoded so far
   */
  public static FeatureStatistics.Moments compute(EvalNetwork network, Path images, Path rows, IntConsumer progress)
      throws Exception {
    Npy.Header header = Npy.readHeader(images);
    int n = (int) header.shape()[0];
    int h = (int) header.shape()[1];
    int w = (int) header.shape()[2];
    long size = (long) h * w * header.shape()[3];
    int firstCount = Math.min(READ_BLOCK, n);
    float[] first = network.features(Npy.readRange(images, header, 0, firstCount * size).array(), firstCount, h, w);
    int dim = first.length / firstCount;
    FeatureStatistics stats = new FeatureStatistics(dim);
    try (NpyWriter out = rows == null ? null : new NpyWriter(rows, Npy.DType.F32, n, dim)) {
      for (int from = 0; from < n; from += READ_BLOCK) {
        int count = Math.min(READ_BLOCK, n - from);
        float[] f = from == 0 ? first
            : network.features(Npy.readRange(images, header, from * size, count * size).array(), count, h, w);
        stats.add(f, count);
        if (out != null) {
          out.writeFloats(f, 0, f.length);
        }
        progress.accept(from + count);
      }
    }
    return stats.moments();
  }
}
