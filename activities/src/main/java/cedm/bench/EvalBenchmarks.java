package cedm.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import cedm.eval.FeatureStatistics;
import cedm.eval.FrechetDistance;
import java.util.SplittableRandom;

/** Frechet distance and feature-statistics speed, as {@code cedm bench --only eval} prints them. */
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
    try (NDManager m = NDManager.newBaseManager()) {
      FeatureStatistics stats = new FeatureStatistics(d);
      stats.add(m, f, rows);
      long t = System.nanoTime();
      for (int b = 0; b < batches; b++) {
        stats.add(m, f, rows);
      }
      return (double) rows * batches / ((System.nanoTime() - t) / 1e9);
    }
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
