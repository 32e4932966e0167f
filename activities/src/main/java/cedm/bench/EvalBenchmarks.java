package cedm.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import cedm.eval.FeatureStatistics;
import cedm.eval.FrechetDistance;
import cedm.eval.Prdc;
import java.util.SplittableRandom;

/** Frechet distance, feature-statistics and PRDC speed, as {@code cedm bench --only eval} prints them. */
public final class EvalBenchmarks {
  private EvalBenchmarks() {}

  /** Seconds for one distance between two random d x d covariances of full rank. */
  public static double frechetSeconds(int d) {
    double[] s1 = covariance(d, 1);
    double[] s2 = covariance(d, 2);
    double[] mu1 = new double[d];
    double[] mu2 = new double[d];
    FrechetDistance.of(new double[64], covariance(64, 3), new double[64], covariance(64, 4));
    long t = System.nanoTime();
    FrechetDistance.of(mu1, s1, mu2, s2);
    return (System.nanoTime() - t) / 1e9;
  }

  /** Feature vectors per second through the streaming float64 mean/covariance accumulation. */
  public static double statisticsRowsPerSecond(int d, int rows, int batches) {
    float[] f = new float[rows * d];
    SplittableRandom r = new SplittableRandom(5);
    for (int i = 0; i < f.length; i++) {
      f[i] = (float) r.nextGaussian();
    }
    FeatureStatistics stats = new FeatureStatistics(d);
    stats.add(f, rows);
    long t = System.nanoTime();
    for (int b = 0; b < batches; b++) {
      stats.add(f, rows);
    }
    return (double) rows * batches / ((System.nanoTime() - t) / 1e9);
  }

  /**
   * Seconds for precision, recall, density and coverage of {@code n} fake against {@code n} real
   * random d-dimensional features with k = 3 (dgm-eval's default size: 10,000 each, DINOv2's 1024).
   */
  public static double prdcSeconds(int n, int d) throws Exception {
    Prdc.Points real = gaussian(n, d, 6, 0);
    Prdc.Points fake = gaussian(n, d, 7, 0.1f);
    long t = System.nanoTime();
    Prdc.of(real, fake, 3, done -> {});
    return (System.nanoTime() - t) / 1e9;
  }

  private static Prdc.Points gaussian(int n, int d, long seed, float shift) {
    SplittableRandom r = new SplittableRandom(seed);
    float[] rows = new float[n * d];
    for (int i = 0; i < rows.length; i++) {
      rows[i] = (float) r.nextGaussian() + shift;
    }
    return new Prdc.Points(rows, n, d);
  }

  /** A full-rank covariance: (A A^T) / d + I/10 for a random d x d matrix A. */
  private static double[] covariance(int d, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    float[] a = new float[d * d];
    for (int i = 0; i < a.length; i++) {
      a[i] = (float) r.nextGaussian();
    }
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray x = m.create(a, new Shape(d, d)).toType(DataType.FLOAT64, false);
      NDArray c = x.matMul(x.transpose()).div(d).add(m.eye(d).toType(DataType.FLOAT64, false).mul(0.1));
      return c.toDoubleArray();
    }
  }
}
