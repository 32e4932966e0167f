package cedm.eval;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import cedm.io.BadInputException;
import cedm.io.FileOutput;
import cedm.io.Npy;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.openblas.global.openblas;

/**
 * Mean and covariance of feature vectors, accumulated in float64 in one streaming pass, as EDM's
 * fid.py does: mu = sum f / N, Sigma = (sum f f^T - N mu mu^T) / (N - 1). The products run in
 * OpenBLAS on the CPU whatever device the encoders use, a block of rows at a time, so memory is
 * the d x d sums and one block however many vectors are added. Stored and read as
 * EDM's reference files: an .npz with float64 arrays {@code mu} [d] and {@code sigma} [d, d].
 */
public final class FeatureStatistics {
  /** 1980-01-01, the earliest zip time: entries carry no wall-clock time. */
  private static final long FIXED_TIME = 315532800000L;
  /** Feature rows converted to float64 per product. */
  private static final int ROWS = 1024;
  private final int dim;
  private final double[] sum;
  private final double[] outer;
  private long count;

  public FeatureStatistics(int dim) {
    this.dim = dim;
    this.sum = new double[dim];
    this.outer = new double[dim * dim];
  }

  /** Adds {@code n} row-major float32 feature vectors, {@link #ROWS} at a time. */
  public void add(float[] features, int n) {
    if (features.length != (long) n * dim) {
      throw new IllegalArgumentException(features.length + " values are not " + n + " features of " + dim);
    }
    int block = Math.min(ROWS, n);
    try (DoublePointer rows = new DoublePointer((long) block * dim); DoublePointer products = new DoublePointer(outer)) {
      double[] converted = new double[block * dim];
      for (int from = 0; from < n; from += block) {
        int count = Math.min(block, n - from);
        for (int r = 0; r < count; r++) {
          for (int j = 0; j < dim; j++) {
            double v = features[(from + r) * dim + j];
            converted[r * dim + j] = v;
            sum[j] += v;
          }
        }
        rows.put(converted, 0, count * dim);
        // Row-major rows [count, dim] read column-major are F^T [dim, count]: F^T F is its A A^T.
        openblas.cblas_dsyrk(openblas.CblasColMajor, openblas.CblasUpper, openblas.CblasNoTrans, dim, count, 1.0,
            rows, dim, 1.0, products, dim);
      }
      products.get(outer);
    }
    count += n;
  }

  public long count() {
    return count;
  }

  public double[] mu() {
    double[] mu = new double[dim];
    for (int i = 0; i < dim; i++) {
      mu[i] = sum[i] / count;
    }
    return mu;
  }

  public double[] sigma() {
    if (count < 2) {
      throw new IllegalStateException("a covariance needs at least 2 samples, have " + count);
    }
    double[] mu = mu();
    double[] sigma = new double[dim * dim];
    for (int i = 0; i < dim; i++) {
      for (int j = 0; j < dim; j++) {
        // dsyrk fills the column-major upper triangle: (i, j), i <= j, at i + j * dim.
        double product = i <= j ? outer[i + j * dim] : outer[j + i * dim];
        sigma[i * dim + j] = (product - count * mu[i] * mu[j]) / (count - 1);
      }
    }
    return sigma;
  }

  /** Mean and covariance, as stored in an EDM-format .npz. */
  public record Moments(double[] mu, double[] sigma) {
    public int dim() {
      return mu.length;
    }

    /**
     * Writes numpy's .npz layout (mu.npy and sigma.npy in a zip) with fixed entry times, so the
     * same statistics always give the same bytes.
     */
    public void write(Path file) throws IOException {
      try (ZipOutputStream zip = new ZipOutputStream(FileOutput.open(file))) {
        entry(zip, "mu.npy", mu, mu.length);
        entry(zip, "sigma.npy", sigma, mu.length, mu.length);
      }
    }

    private static void entry(ZipOutputStream zip, String name, double[] values, long... shape) throws IOException {
      ZipEntry e = new ZipEntry(name);
      e.setTime(FIXED_TIME);
      zip.putNextEntry(e);
      zip.write(Npy.header(Npy.DType.F64, shape));
      ByteBuffer data = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
      data.asDoubleBuffer().put(values);
      zip.write(data.array());
      zip.closeEntry();
    }

    /** Reads an .npz with keys mu and sigma (EDM's public reference statistics, or cedm's), on the CPU. */
    public static Moments read(Path file) throws IOException {
      if (!Files.isRegularFile(file)) {
        throw new BadInputException(file + ": reference statistics file not found");
      }
      try (NDManager m = NDManager.newBaseManager(Device.cpu()); InputStream in = Files.newInputStream(file)) {
        NDList list;
        try {
          list = NDList.decode(m, in);
        } catch (RuntimeException e) {
          throw new BadInputException(file + ": not an .npz file (" + e.getMessage() + ")");
        }
        NDArray mu = list.get("mu");
        NDArray sigma = list.get("sigma");
        if (mu == null || sigma == null || mu.getShape().dimension() != 1
            || !sigma.getShape().equals(new Shape(mu.size(), mu.size()))) {
          throw new BadInputException(file + ": expected arrays mu [d] and sigma [d, d], found " + list.getShapes());
        }
        return new Moments(mu.toType(DataType.FLOAT64, false).toDoubleArray(),
            sigma.toType(DataType.FLOAT64, false).toDoubleArray());
      }
    }
  }

  public Moments moments() {
    return new Moments(mu(), sigma());
  }
}
