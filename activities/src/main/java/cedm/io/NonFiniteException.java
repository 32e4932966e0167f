package cedm.io;

/**
 * NaN or infinite values where a stage needs finite ones (features, clusters, losses, weights).
 * The same inputs give them again, so no retry can help; the message names what held them.
 */
public final class NonFiniteException extends RuntimeException {
  public NonFiniteException(String message) {
    super(message);
  }

  /**
   * Throws, naming {@code what} and the first row (of {@code width} values) that holds a NaN or
   * infinite value, followed by {@code why} (what it would break).
   */
  public static void requireFinite(float[] values, int width, String what, String why) {
    int row = firstNonFiniteRow(values, width);
    if (row >= 0) {
      throw new NonFiniteException(what + ": row " + row + " holds NaN or infinite values; " + why);
    }
  }

  /** The first row (of {@code width} values) holding a NaN or infinite value, or -1. */
  public static int firstNonFiniteRow(float[] values, int width) {
    for (int i = 0; i < values.length; i++) {
      if (!Float.isFinite(values[i])) {
        return i / width;
      }
    }
    return -1;
  }
}
