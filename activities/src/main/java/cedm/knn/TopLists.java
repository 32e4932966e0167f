package cedm.knn;

import java.nio.FloatBuffer;
import java.util.Arrays;

/**
 * For every row, the best {@code size} (similarity, column) pairs offered so far, most similar
 * first; equal similarities keep the smaller column first, so the result does not depend on the
 * order the tiles come in. A value below a row's current last is rejected with one comparison,
 * which is what almost every value of a large matrix is.
 */
final class TopLists {
  private final int size;
  private final float[] similarities;
  private final long[] columns;
  /** Each row's last similarity, side by side: the bar a value must reach, read once per value. */
  private final float[] bars;

  TopLists(int rows, int size) {
    this.size = size;
    this.similarities = new float[rows * size];
    this.columns = new long[rows * size];
    this.bars = new float[rows];
    Arrays.fill(similarities, Float.NEGATIVE_INFINITY);
    Arrays.fill(columns, Long.MAX_VALUE);
    Arrays.fill(bars, Float.NEGATIVE_INFINITY);
  }

  /** Rows {@code from..to} of a rowsI x rowsJ tile, offered to rows startI + r, columns startJ + j. */
  void offerRows(FloatBuffer tile, int rowsI, int rowsJ, int startI, int startJ, int from, int to) {
    float[] line = new float[rowsJ];
    for (int r = from; r < to; r++) {
      int row = startI + r;
      tile.get(r * rowsJ, line, 0, rowsJ);
      float bar = bars[row];
      for (int j = 0; j < rowsJ; j++) {
        if (line[j] >= bar) {
          offer(row, line[j], startJ + j);
          bar = bars[row];
        }
      }
    }
  }

  /** Columns {@code from..to} of the same tile, read down, offered to rows startJ + j, columns startI + r. */
  void offerColumns(FloatBuffer tile, int rowsI, int rowsJ, int startI, int startJ, int from, int to) {
    int width = to - from;
    float[] line = new float[width];
    for (int r = 0; r < rowsI; r++) {
      tile.get(r * rowsJ + from, line, 0, width);
      for (int j = 0; j < width; j++) {
        if (line[j] >= bars[startJ + from + j]) {
          offer(startJ + from + j, line[j], startI + r);
        }
      }
    }
  }

  /** Inserts (s, column) into the row's sorted list when it comes before the last entry. */
  private void offer(int row, float s, long column) {
    int base = row * size;
    int i = base + size - 1;
    if (!before(s, column, similarities[i], columns[i])) {
      return;
    }
    while (i > base && before(s, column, similarities[i - 1], columns[i - 1])) {
      similarities[i] = similarities[i - 1];
      columns[i] = columns[i - 1];
      i--;
    }
    similarities[i] = s;
    columns[i] = column;
    bars[row] = similarities[base + size - 1];
  }

  private static boolean before(float s1, long c1, float s2, long c2) {
    return s1 > s2 || (s1 == s2 && c1 < c2);
  }

  /**
   * The best {@code size - 1} of each row other than the row itself: the same as setting the
   * diagonal to -inf before the top-k (TEMI), without a mask as large as a tile.
   */
  void dropSelf(long[] indices, float[] out) {
    int m = size - 1;
    int rows = similarities.length / size;
    for (int r = 0; r < rows; r++) {
      int kept = 0;
      for (int j = 0; j < size && kept < m; j++) {
        if (columns[r * size + j] != r) {
          indices[r * m + kept] = columns[r * size + j];
          out[r * m + kept] = similarities[r * size + j];
          kept++;
        }
      }
    }
  }
}
