package cedm.eval;

import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.openblas.global.openblas;

/**
 * The Frechet distance between two Gaussians, |mu1 - mu2|^2 + tr(S1 + S2 - 2 (S1 S2)^(1/2)), as
 * FID and FDD use it. The trace of the matrix square root is computed from symmetric
 * eigendecompositions (LAPACK dsyevd): with S1 = V L V^T and R = V L^(1/2) V^T, the eigenvalues
 * of R S2 R, which is symmetric, are those of S1 S2, so tr (S1 S2)^(1/2) = sum sqrt(eig(R S2 R));
 * R S2 R is computed as the similar L^(1/2) W S2 W^T L^(1/2), two products instead of three.
 * Everything runs in float64 on the CPU, whatever device the encoders use: the products in
 * OpenBLAS, the eigendecompositions in its LAPACK, whose natives come with the Maven artifact
 * (13x faster at d = 2048 than the system's reference LAPACK that netlib found before: BENCHMARKS.md).
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
    double trace = 0;
    for (double lambda : eigh(similar(vectors, values, sigma2, d), d, false)) {
      trace += Math.sqrt(Math.max(lambda, 0));
    }
    return mean + traces - 2 * trace;
  }

  /**
   * L^(1/2) W S2 W^T L^(1/2), symmetrised, where W holds S1's eigenvectors as rows and L its
   * eigenvalues: it is similar to R S2 R (R = W^T L^(1/2) W), so its eigenvalues are those of S1 S2.
   */
  private static double[] similar(double[] w, double[] values, double[] sigma2, int d) {
    double[] roots = new double[d];
    for (int i = 0; i < d; i++) {
      roots[i] = Math.sqrt(Math.max(values[i], 0));
    }
    double[] m = new double[d * d];
    try (DoublePointer vectors = new DoublePointer(w); DoublePointer s2 = new DoublePointer(sigma2);
        DoublePointer ws2 = new DoublePointer((long) d * d); DoublePointer product = new DoublePointer((long) d * d)) {
      openblas.cblas_dgemm(openblas.CblasRowMajor, openblas.CblasNoTrans, openblas.CblasNoTrans, d, d, d, 1.0,
          vectors, d, s2, d, 0.0, ws2, d);
      openblas.cblas_dgemm(openblas.CblasRowMajor, openblas.CblasNoTrans, openblas.CblasTrans, d, d, d, 1.0,
          ws2, d, vectors, d, 0.0, product, d);
      product.get(m);
    }
    for (int i = 0; i < d; i++) {
      for (int j = i; j < d; j++) {
        double v = roots[i] * roots[j] * (m[i * d + j] + m[j * d + i]) / 2;
        m[i * d + j] = v;
        m[j * d + i] = v;
      }
    }
    return m;
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
