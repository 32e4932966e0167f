package cedm.eval;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.openblas.global.openblas;

/**
 * The Frechet distance between two Gaussians, |mu1 - mu2|^2 + tr(S1 + S2 - 2 (S1 S2)^(1/2)), as
 * FID and FDD use it. The trace of the matrix square root is computed from symmetric
 * eigendecompositions (LAPACK dsyevd): with S1 = V L V^T and R = V L^(1/2) V^T, the eigenvalues
 * of R S2 R, which is symmetric, are those of S1 S2, so tr (S1 S2)^(1/2) = sum sqrt(eig(R S2 R)).
 * Matrix products run in float64 through DJL; the eigendecompositions in OpenBLAS's LAPACK, whose
 * natives come with the Maven artifact (13x faster at d = 2048 than the system's reference LAPACK
 * that netlib found before: BENCHMARKS.md).
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

  /** Which LAPACK runs: the OpenBLAS whose natives the Maven artifact bundles. */
  public static String lapack() {
    return openblas.OPENBLAS_VERSION.trim() + " (bundled natives)";
  }

  /**
   * Eigenvalues of the symmetric {@code a} (ascending); with {@code vectors}, {@code a} is
   * overwritten by the eigenvectors, one per row.
   */
  static double[] eigh(double[] a, int n, boolean vectors) {
    // Column-major: a symmetric matrix reads the same either way, and the eigenvectors, LAPACK's
    // columns, come back as the rows of the row-major array.
    try (DoublePointer matrix = new DoublePointer(a); DoublePointer values = new DoublePointer(n)) {
      int info = openblas.LAPACKE_dsyevd(openblas.LAPACK_COL_MAJOR, (byte) (vectors ? 'V' : 'N'), (byte) 'U', n,
          matrix, n, values);
      if (info != 0) {
        throw new ArithmeticException("LAPACK dsyevd failed (info " + info + ") on a " + n + "x" + n + " covariance");
      }
      double[] w = new double[n];
      values.get(w);
      if (vectors) {
        matrix.get(a);
      }
      return w;
    }
  }
}
