package cedm.eval;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.ludovic.netlib.lapack.LAPACK;
import org.netlib.util.intW;

/**
 * The Frechet distance between two Gaussians, |mu1 - mu2|^2 + tr(S1 + S2 - 2 (S1 S2)^(1/2)), as
 * FID and FDD use it. The trace of the matrix square root is computed from symmetric
 * eigendecompositions (LAPACK dsyevd): with S1 = V L V^T and R = V L^(1/2) V^T, the eigenvalues
 * of R S2 R, which is symmetric, are those of S1 S2, so tr (S1 S2)^(1/2) = sum sqrt(eig(R S2 R)).
 * Matrix products run in float64 through DJL.
 */
public final class FrechetDistance {
  private FrechetDistance() {}

  /** {@code sigma1}, {@code sigma2}: row-major d x d covariances. */
  public static double of(double[] mu1, double[] sigma1, double[] mu2, double[] sigma2) {
    int d = mu1.length;
    if (mu2.length != d || sigma1.length != (long) d * d || sigma2.length != (long) d * d) {
      throw new IllegalArgumentException("statistics do not match: mu " + d + " and " + mu2.length + ", sigma "
          + sigma1.length + " and " + sigma2.length + " values");
    }
    double mean = 0;
    double traces = 0;
    for (int i = 0; i < d; i++) {
      double diff = mu1[i] - mu2[i];
      mean += diff * diff;
      traces += sigma1[i * d + i] + sigma2[i * d + i];
    }
    double[] vectors = sigma1.clone();
    double[] values = eigh(vectors, d, true);
    double[] product;
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray w = m.create(vectors, new Shape(d, d));
      double[] roots = new double[d];
      for (int i = 0; i < d; i++) {
        roots[i] = Math.sqrt(Math.max(values[i], 0));
      }
      NDArray root = w.transpose().matMul(w.mul(m.create(roots, new Shape(d, 1))));
      NDArray s2 = m.create(sigma2, new Shape(d, d));
      NDArray inner = root.matMul(s2).matMul(root);
      product = inner.add(inner.transpose()).div(2).toType(DataType.FLOAT64, false).toDoubleArray();
    }
    double trace = 0;
    for (double lambda : eigh(product, d, false)) {
      trace += Math.sqrt(Math.max(lambda, 0));
    }
    return mean + traces - 2 * trace;
  }

  /** Which LAPACK runs: JNILAPACK (the system's liblapack.so.3) or JavaLAPACK (a Java translation, slower). */
  public static String lapack() {
    return LAPACK.getInstance().getClass().getSimpleName();
  }

  /**
   * Eigenvalues of the symmetric {@code a} (ascending); with {@code vectors}, {@code a} is
   * overwritten by the eigenvectors, one per row.
   */
  static double[] eigh(double[] a, int n, boolean vectors) {
    LAPACK lapack = LAPACK.getInstance();
    String job = vectors ? "V" : "N";
    double[] w = new double[n];
    double[] workSize = new double[1];
    int[] iworkSize = new int[1];
    intW info = new intW(0);
    lapack.dsyevd(job, "U", n, a, n, w, workSize, -1, iworkSize, -1, info);
    double[] work = new double[(int) workSize[0]];
    int[] iwork = new int[iworkSize[0]];
    lapack.dsyevd(job, "U", n, a, n, w, work, work.length, iwork, iwork.length, info);
    if (info.val != 0) {
      throw new ArithmeticException("LAPACK dsyevd failed (info " + info.val + ") on a " + n + "x" + n + " covariance");
    }
    return w;
  }
}
