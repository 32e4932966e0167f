package cedm.cluster;

import java.nio.file.Path;
import java.util.List;

/**
 * One clustering method: assigns N feature vectors to C clusters. A new method is one
 * implementation, its spec section and its {@code ClusteringMethod} value.
 */
public interface Clusterer {

  /** Its spec section, which with C and the seed identifies the result: hashed into the artifact id. */
  Object spec();

  /** Whether it reads the mined k nearest neighbours (TEMI's pairs). */
  default boolean needsNeighbours() {
    return false;
  }

  /**
   * @param work a directory of its own that survives a restart, for checkpoints
   */
  Result cluster(Input input, Path work, Progress progress) throws Exception;

  /** Features row-major [n, d]; neighbours row-major [n, width], most similar first, or null when not needed. */
  record Input(float[] features, int n, int d, long[] neighbours, int width) {}

  /**
   * @param headLosses each head's final loss (TEMI), empty for a single-head method
   * @param bestHead the head whose assignments were kept, -1 for a single-head method
   * @param objective what the method minimised, at the end (the best head's loss, k-means' inertia)
   * @param resumedAtEpoch the epoch a checkpoint let it continue from, 0 when it started afresh or does not checkpoint
   */
  record Result(long[] assignments, List<Double> headLosses, int bestHead, double objective, int resumedAtEpoch) {}

  /** Where the method is, for heartbeats and metrics. */
  interface Progress {
    void at(int done, int total, String unit);

    /** A training loss, for methods that have one. */
    default void loss(double value) {}
  }
}
