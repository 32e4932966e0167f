package cedm.random;

import java.util.SplittableRandom;

/** Fisher-Yates permutations, so that every data order in cedm is drawn the same way. */
public final class Shuffle {
  private Shuffle() {}

  /** A uniformly random order of 0..n-1, consuming n-1 draws of {@code random}. */
  public static int[] permutation(SplittableRandom random, int n) {
    int[] order = new int[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    for (int i = n - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int t = order[i];
      order[i] = order[j];
      order[j] = t;
    }
    return order;
  }
}
