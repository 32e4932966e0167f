package cedm.bench;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import cedm.features.BuiltinExtractor;
import cedm.features.FeatureExtractor;
import cedm.features.Preprocess;
import cedm.features.TorchScriptExtractor;
import cedm.knn.KnnMiner;
import cedm.spec.TemiSpec;
import cedm.store.Checkpoints;
import cedm.temi.TemiTrainer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.openblas.global.openblas;

/** Speed measurements printed by {@code cedm bench}; figures, never pass/fail. */
public final class Benchmarks {
  private static final List<Double> MEAN = List.of(0.485, 0.456, 0.406);
  private static final List<Double> STD = List.of(0.229, 0.224, 0.225);

  private Benchmarks() {}

  /** Dense float32 matmul throughput of this machine through DJL, best of a few runs. */
  public static double matmulGflops(int size, int inner) {
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray a = m.randomNormal(new Shape(size, inner));
      NDArray b = m.randomNormal(new Shape(inner, size));
      double best = Double.MAX_VALUE;
      for (int i = 0; i < 4; i++) {
        long t = System.nanoTime();
        try (NDArray c = a.matMul(b)) {
          c.getFloat(0, 0);
        }
        best = Math.min(best, (System.nanoTime() - t) / 1e9);
      }
      return 2.0 * size * size * inner / best / 1e9;
    }
  }

  /** Images per second through preprocessing and one extractor, after one warm-up batch. */
  public static double extractionImagesPerSecond(FeatureExtractor extractor, int inSize, int outSize, int batch, int batches) throws Exception {
    Preprocess preprocess = new Preprocess(inSize, inSize, outSize, MEAN, STD);
    byte[] images = new byte[batch * inSize * inSize * 3];
    new SplittableRandom(0).nextBytes(images);
    extractor.extract(preprocess.apply(images, batch), batch, outSize, outSize);
    long t = System.nanoTime();
    for (int i = 0; i < batches; i++) {
      extractor.extract(preprocess.apply(images, batch), batch, outSize, outSize);
    }
    return (double) batch * batches / ((System.nanoTime() - t) / 1e9);
  }

  public static double builtinImagesPerSecond(int inSize, int outSize, int dim) throws Exception {
    try (BuiltinExtractor e = new BuiltinExtractor(0, dim, Device.cpu())) {
      return extractionImagesPerSecond(e, inSize, outSize, 128, 8);
    }
  }

  public static double torchScriptImagesPerSecond(Path model) throws Exception {
    try (TorchScriptExtractor e = new TorchScriptExtractor(model, Device.cpu())) {
      return extractionImagesPerSecond(e, 32, 224, 64, 4);
    }
  }

  /**
   * Seconds for one TEMI epoch on random features and neighbours (the heads' shapes are what
   * costs), with the last layer trained as after TEMI's first epoch.
   */
  public static double temiEpochSeconds(int n, int d, int clusters, int heads, int batch) throws Exception {
    SplittableRandom r = new SplittableRandom(3);
    float[] x = new float[n * d];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) r.nextGaussian();
    }
    int m = 50;
    long[] knn = new long[n * m];
    for (int i = 0; i < knn.length; i++) {
      knn[i] = r.nextInt(n);
    }
    TemiSpec spec = new TemiSpec(heads, 1, batch, 1e-4, 1e-4, 0, 1e-4, 0.6, 0.1, 0.1, 0.996, 0.996, 0.9, 0, 512, 256, m, 1);
    Path dir = Files.createTempDirectory("cedm-bench-temi");
    try {
      long t = System.nanoTime();
      new TemiTrainer(spec, clusters, 0, Device.cpu()).train(x, n, d, knn, m, new Checkpoints(dir, 1), p -> {});
      return (System.nanoTime() - t) / 1e9;
    } finally {
      cedm.store.ArtifactStore.deleteTree(dir);
    }
  }

  /**
   * kNN over random features, and the full similarity product alone, in seconds: through DJL and
   * through OpenBLAS.
   */
  public record KnnTiming(int n, int d, int m, double knnSeconds, double djlProductSeconds,
      double openBlasProductSeconds) {
    /** The faster of the two products: the best this machine does from Java. */
    public double bestProductSeconds() {
      return Math.min(djlProductSeconds, openBlasProductSeconds);
    }
  }

  /**
   * kNN mining at blocks of {@code blockRows}, and the full N x N similarity product it replaces
   * (the reference computes all of it) through DJL and through OpenBLAS's sgemm, blocks of the
   * same rows: the float32 products this machine can do from Java.
   */
  public static KnnTiming knn(int n, int d, int m, int blockRows) throws Exception {
    float[] x = new float[n * d];
    SplittableRandom r = new SplittableRandom(7);
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) r.nextGaussian();
    }
    long t = System.nanoTime();
    KnnMiner.mine(x, n, d, m, blockRows, done -> {});
    double knn = (System.nanoTime() - t) / 1e9;
    try (NDManager manager = NDManager.newBaseManager()) {
      NDArray all = manager.create(x, new Shape(n, d));
      NDArray transposed = all.transpose().duplicate();
      t = System.nanoTime();
      for (int start = 0; start < n; start += blockRows) {
        try (NDManager scope = manager.newSubManager()) {
          NDArray block = all.get(new NDIndex("{}:{}", start, Math.min(n, start + blockRows)));
          block.attach(scope);
          block.matMul(transposed).getFloat(0, 0);
        }
      }
      double djl = (System.nanoTime() - t) / 1e9;
      return new KnnTiming(n, d, m, knn, djl, openBlasProductSeconds(x, n, d, blockRows));
    }
  }

  /** X X^T in row blocks through OpenBLAS's cblas_sgemm. */
  private static double openBlasProductSeconds(float[] x, int n, int d, int blockRows) {
    try (FloatPointer all = new FloatPointer(x);
        FloatPointer out = new FloatPointer((long) blockRows * n)) {
      long t = System.nanoTime();
      for (int start = 0; start < n; start += blockRows) {
        int rows = Math.min(blockRows, n - start);
        openblas.cblas_sgemm(openblas.CblasRowMajor, openblas.CblasNoTrans, openblas.CblasTrans, rows, n, d, 1f,
            all.getPointer((long) start * d), d, all, d, 0f, out, n);
      }
      return (System.nanoTime() - t) / 1e9;
    }
  }

}
