package cedm.cluster;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import cedm.spec.KmeansSpec;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.function.IntConsumer;

/**
 * k-means as scikit-learn's KMeans (Lloyd): greedy k-means++ seeding with 2 + ln k local trials,
 * {@code n_init} restarts keeping the lowest inertia, at most {@code max_iter} iterations, stop
 * when the labels stop changing or the centres move less than tol x mean feature variance, empty
 * clusters re-seeded with the points farthest from their centres. Distances are DJL matrix
 * products, so the work runs on the GPU when the manager lives there.
 */
public final class KMeans {
  private static final int BLOCK = 8192;

  /** The best restart: labels, inertia (sum of squared distances) and its iteration count. */
  public record Result(long[] labels, double inertia, int iterations) {}

  private final NDManager manager;
  private final NDArray x;
  private final float[] data;
  private final int n;
  private final int d;

  private KMeans(NDManager manager, float[] data, int n, int d) {
    this.manager = manager;
    this.data = data;
    this.n = n;
    this.d = d;
    this.x = manager.create(data, new Shape(n, d));
  }

  /**
   * @param restartDone called with the number of finished restarts
   */
  public static Result fit(NDManager parent, float[] data, int n, int d, int k, KmeansSpec spec, long seed,
      IntConsumer restartDone) {
    if (k > n) {
      throw new IllegalArgumentException("k-means with " + k + " clusters needs at least as many points, got " + n);
    }
    try (NDManager manager = parent.newSubManager()) {
      KMeans kmeans = new KMeans(manager, data, n, d);
      double tol = spec.tol() * kmeans.meanVariance();
      Result best = null;
      SplittableRandom seeds = new SplittableRandom(seed);
      for (int init = 0; init < spec.nInit(); init++) {
        Result r = kmeans.lloyd(kmeans.plusPlus(k, seeds.split()), spec.maxIter(), tol);
        if (best == null || r.inertia() < best.inertia()) {
          best = r;
        }
        restartDone.accept(init + 1);
      }
      return best;
    }
  }

  private double meanVariance() {
    double total = 0;
    for (int j = 0; j < d; j++) {
      double mean = 0;
      for (int i = 0; i < n; i++) {
        mean += data[i * d + j];
      }
      mean /= n;
      double var = 0;
      for (int i = 0; i < n; i++) {
        double diff = data[i * d + j] - mean;
        var += diff * diff;
      }
      total += var / n;
    }
    return total / d;
  }

  /** Squared distances [rows of c, n] from the centres c [m, d] to every point. */
  private float[] distances(float[] centres, int m) {
    try (NDScope scope = new NDScope()) {
      scope.suppressNotUsedWarning();
      NDArray c = manager.create(centres, new Shape(m, d));
      NDArray xx = x.square().sum(new int[] {1}).reshape(1, n);
      NDArray cc = c.square().sum(new int[] {1}).reshape(m, 1);
      NDArray dist = cc.add(xx).sub(c.matMul(x.transpose()).mul(2)).maximum(0f);
      return dist.toFloatArray();
    }
  }

  /** Greedy k-means++ as scikit-learn's _kmeans_plusplus. */
  private float[] plusPlus(int k, SplittableRandom random) {
    int trials = 2 + (int) Math.log(k);
    float[] centres = new float[k * d];
    int first = random.nextInt(n);
    System.arraycopy(data, first * d, centres, 0, d);
    float[] closest = distances(Arrays.copyOfRange(data, first * d, (first + 1) * d), 1);
    double potential = sum(closest);
    for (int c = 1; c < k; c++) {
      double[] cumulative = new double[n];
      double running = 0;
      for (int i = 0; i < n; i++) {
        running += closest[i];
        cumulative[i] = running;
      }
      int[] candidates = new int[trials];
      float[] candidateRows = new float[trials * d];
      for (int t = 0; t < trials; t++) {
        double target = random.nextDouble() * potential;
        int at = Arrays.binarySearch(cumulative, target);
        int id = at >= 0 ? at : -at - 1;
        candidates[t] = Math.min(id, n - 1);
        System.arraycopy(data, candidates[t] * d, candidateRows, t * d, d);
      }
      float[] dist = distances(candidateRows, trials);
      int best = -1;
      double bestPotential = Double.MAX_VALUE;
      for (int t = 0; t < trials; t++) {
        double p = 0;
        for (int i = 0; i < n; i++) {
          p += Math.min(closest[i], dist[t * n + i]);
        }
        if (p < bestPotential) {
          bestPotential = p;
          best = t;
        }
      }
      for (int i = 0; i < n; i++) {
        closest[i] = Math.min(closest[i], dist[best * n + i]);
      }
      potential = bestPotential;
      System.arraycopy(data, candidates[best] * d, centres, c * d, d);
    }
    return centres;
  }

  private static double sum(float[] values) {
    double s = 0;
    for (float v : values) {
      s += v;
    }
    return s;
  }

  /** Nearest centre of every point and the squared distance to it, in blocks of points. */
  private void assign(float[] centres, int k, long[] labels, double[] best) {
    try (NDManager scope = manager.newSubManager()) {
      NDArray c = scope.create(centres, new Shape(k, d));
      NDArray cc = c.square().sum(new int[] {1}).reshape(1, k);
      NDArray ct = c.transpose();
      for (int start = 0; start < n; start += BLOCK) {
        int rows = Math.min(BLOCK, n - start);
        try (NDManager block = scope.newSubManager()) {
          NDArray xb = x.get(new NDIndex("{}:{}", start, start + rows));
          xb.attach(block);
          NDArray dist = xb.square().sum(new int[] {1}).reshape(rows, 1).add(cc).sub(xb.matMul(ct).mul(2)).maximum(0f);
          long[] nearest = dist.argMin(1).toType(DataType.INT64, false).toLongArray();
          float[] values = dist.min(new int[] {1}).toFloatArray();
          System.arraycopy(nearest, 0, labels, start, rows);
          for (int i = 0; i < rows; i++) {
            best[start + i] = values[i];
          }
        }
      }
    }
  }

  private Result lloyd(float[] centres, int maxIter, double tol) {
    int k = centres.length / d;
    long[] labels = new long[n];
    long[] previous = null;
    double[] distance = new double[n];
    int iteration = 0;
    while (iteration < maxIter) {
      assign(centres, k, labels, distance);
      float[] updated = update(labels, distance, k);
      double shift = 0;
      for (int i = 0; i < updated.length; i++) {
        double diff = updated[i] - centres[i];
        shift += diff * diff;
      }
      centres = updated;
      iteration++;
      if ((previous != null && Arrays.equals(previous, labels)) || shift <= tol) {
        break;
      }
      previous = labels.clone();
    }
    // Labels and inertia of the final centres.
    assign(centres, k, labels, distance);
    return new Result(labels, Arrays.stream(distance).sum(), iteration);
  }

  /** Centre of each cluster; an empty cluster takes the point farthest from its own centre. */
  private float[] update(long[] labels, double[] distance, int k) {
    double[] sums = new double[k * d];
    long[] counts = new long[k];
    for (int i = 0; i < n; i++) {
      int c = (int) labels[i];
      counts[c]++;
      for (int j = 0; j < d; j++) {
        sums[c * d + j] += data[i * d + j];
      }
    }
    int empty = 0;
    for (long c : counts) {
      empty += c == 0 ? 1 : 0;
    }
    if (empty > 0) {
      Integer[] far = new Integer[n];
      for (int i = 0; i < n; i++) {
        far[i] = i;
      }
      Arrays.sort(far, (a, b) -> Double.compare(distance[b], distance[a]));
      int next = 0;
      for (int c = 0; c < k; c++) {
        if (counts[c] == 0) {
          int p = far[next++];
          int old = (int) labels[p];
          counts[old]--;
          for (int j = 0; j < d; j++) {
            sums[old * d + j] -= data[p * d + j];
            sums[c * d + j] = data[p * d + j];
          }
          counts[c] = 1;
        }
      }
    }
    float[] centres = new float[k * d];
    for (int c = 0; c < k; c++) {
      for (int j = 0; j < d; j++) {
        centres[c * d + j] = (float) (sums[c * d + j] / counts[c]);
      }
    }
    return centres;
  }
}
