package cedm.memory;

import cedm.eval.ReferenceStatistics;
import cedm.memory.NetworkProbe.Measured;
import cedm.spec.EvaluationSpec;
import cedm.spec.EvaluationSpec.Encoder;
import cedm.spec.EvaluationSpec.Metric;
import cedm.spec.ExperimentSpec;
import cedm.spec.TemiSpec;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The memory model of every stage: what each holds at its peak, from the spec's sizes and the
 * networks' measured costs ({@link NetworkProbe}). A stage's figure is the process's own footprint
 * (JVM, engine) plus its network at the batch the spec gives plus the data it holds; data that
 * scales with the dataset is the features, the neighbour lists and TEMI's inputs, never the
 * samples of a set. Checked against the peaks the stages reach at the paper's sizes by
 * {@code cedm rehearse} (BENCHMARKS.md).
 */
public final class StageFootprint {
  private static final int FLOAT = 4;
  private static final int DOUBLE = 8;
  private static final int LONG = 8;
  /** KnnActivitiesImpl's tile side. */
  private static final int KNN_BLOCK = 4096;
  /** Prdc's tile side. */
  private static final int PRDC_TILE = 2048;
  /** How far TEMI's memory is shown: the search's start doubled this many times (or max_c). */
  private static final int DOUBLINGS = 3;

  /**
   * One stage's predicted peak, the spec field that sets its size and what it holds. On a GPU the
   * networks' part is the device's and the rest the host's; on the CPU both are the host's.
   */
  public record Prediction(String stage, long hostBytes, long deviceBytes, String field, String what) {
    /** Both parts: the whole of it on the CPU. */
    public long bytes() {
      return hostBytes + deviceBytes;
    }
  }

  private StageFootprint() {}

  /** The C at which TEMI's memory is predicted: three doublings past the search's start, at most max_c. */
  public static int temiClusters(ExperimentSpec spec) {
    return Math.min(spec.search().maxC(), spec.search().start() << DOUBLINGS);
  }

  /** Every stage's prediction but training's, for {@code images} training images, in the chain's order. */
  public static List<Prediction> predict(ExperimentSpec spec, int images, NetworkProbe.Result networks) {
    List<Prediction> out = new ArrayList<>();
    out.add(features(spec, images, networks));
    out.add(knn(spec, images, networks));
    out.add(temi(spec, images, temiClusters(spec), networks));
    for (Encoder encoder : spec.evaluation().encoders()) {
      out.add(reference(spec, encoder, networks));
    }
    out.addAll(evaluationParts(spec, images, networks));
    return out;
  }

  /** The evaluation's parts, each with the field that sizes it: sampling, each encoder, statistics, PRDC. */
  public static List<Prediction> evaluationParts(ExperimentSpec spec, int images, NetworkProbe.Result networks) {
    EvaluationSpec e = spec.evaluation();
    List<Prediction> out = new ArrayList<>();
    out.add(sampling(spec, networks));
    for (Encoder encoder : e.encoders()) {
      out.add(encoding(spec, encoder, networks));
      if (e.metrics().stream().anyMatch(m -> m.encoder() == encoder && !m.needsRows())) {
        out.add(statistics(spec, encoder, networks));
      }
    }
    if (e.metrics().contains(Metric.PRDC)) {
      out.add(prdc(spec, images, networks));
    }
    return out;
  }

  /** The evaluation's peak: the largest of its parts. */
  public static Prediction evaluation(ExperimentSpec spec, int images, NetworkProbe.Result networks) {
    return evaluationParts(spec, images, networks).stream().max(Comparator.comparingLong(Prediction::bytes))
        .orElseThrow();
  }

  /** Extractor at features.batch_size; a chunk's features, written and read back when concatenated. */
  public static Prediction features(ExperimentSpec spec, int images, NetworkProbe.Result networks) {
    Measured net = networks.network(NetworkProbe.FEATURES);
    int chunk = Math.min(spec.features().chunkSize(), images);
    long width = net.width();
    return new Prediction("features", networks.hostBase() + 3L * chunk * width * FLOAT,
        networks.deviceBase() + net.at(spec.features().batchSize()), "features.batch_size",
        "extractor at batch " + spec.features().batchSize() + ", chunks of " + chunk + " x " + width);
  }

  /** Features read (file buffer, array, normalised copy, native copy), one tile, the top lists and the result. */
  public static Prediction knn(ExperimentSpec spec, int images, NetworkProbe.Result networks) {
    long n = images;
    long d = networks.network(NetworkProbe.FEATURES).width();
    long m = spec.features().knn();
    long tile = Math.min(KNN_BLOCK, n);
    long bytes = 4 * n * d * FLOAT + tile * tile * FLOAT + n * (m + 1) * (LONG + FLOAT) + 2 * n * m * (LONG + FLOAT);
    return new Prediction("knn", networks.hostBase() + bytes, 0, "features.knn", n + " x " + d + " features, m = " + m);
  }

  /**
   * Features (file buffer, array, tensor), neighbour lists (buffer, array), the heads with their
   * teacher, gradients and Adam's two moments, and one step's activations for 2 x batch views.
   */
  public static Prediction temi(ExperimentSpec spec, int images, int clusters, NetworkProbe.Result networks) {
    TemiSpec t = spec.clustering().temi();
    long n = images;
    long d = networks.network(NetworkProbe.FEATURES).width();
    long k = spec.features().knn();
    long h = t.heads();
    long params = h * (t.hiddenDim() * d + t.hiddenDim() + (long) t.bottleneckDim() * t.hiddenDim() + t.bottleneckDim()
        + (long) clusters * t.bottleneckDim() + clusters);
    long rows = 2L * t.batchSize();
    long activations = rows * d * FLOAT + rows * h * (2L * t.hiddenDim() + 2L * t.bottleneckDim() + 6L * clusters)
        * FLOAT * 2;
    return new Prediction("temi", networks.hostBase() + 2 * n * d * FLOAT + 2 * n * k * LONG + 2 * n * FLOAT,
        networks.deviceBase() + n * d * FLOAT + 5 * params * FLOAT + activations, "clustering.temi.batch_size",
        String.format("C = %d, %d heads, batch %d", clusters, h, t.batchSize()));
  }

  /**
   * Training at batch_gpu, from two probes' peaks at {@code small} and {@code large} images: a fixed
   * part (network, optimiser, EMA, engine) and a part per image (activations and their gradients).
   */
  public static Prediction training(int small, long smallPeak, int large, long largePeak, int batchGpu) {
    long perImage = Math.max(1, (largePeak - smallPeak) / (large - small));
    long fixed = smallPeak - perImage * small;
    return new Prediction("training", 0, fixed + perImage * batchGpu, "training.batch_gpu",
        String.format("batch_gpu %d: %.0f MB + %.2f MB per image", batchGpu, fixed / 1e6, perImage / 1e6));
  }

  /** The sampler at evaluation.batch_size, the encoders' weights (loaded for the whole stage), a shard's pixels. */
  public static Prediction sampling(ExperimentSpec spec, NetworkProbe.Result networks) {
    EvaluationSpec e = spec.evaluation();
    Measured sampler = networks.network(NetworkProbe.SAMPLER);
    return new Prediction("sampling", networks.hostBase() + shardPixels(spec),
        networks.deviceBase() + sampler.at(e.batchSize()) + encoderWeights(spec, networks), "evaluation.batch_size",
        "micro-batch " + e.batchSize() + ", shard " + e.shardSize());
  }

  /** The training images' statistics: the encoder at its batch, a read block, its features, the sums. */
  public static Prediction reference(ExperimentSpec spec, Encoder encoder, NetworkProbe.Result networks) {
    Measured net = networks.network(NetworkProbe.encoder(encoder));
    long side = spec.imageResolution();
    long w = net.width();
    long host = ReferenceStatistics.READ_BLOCK * side * side * 3 + 2L * ReferenceStatistics.READ_BLOCK * w * FLOAT
        + 2 * w * w * DOUBLE;
    return new Prediction("reference " + encoder.id(), networks.hostBase() + host,
        networks.deviceBase() + net.at(spec.evaluation().encoderBatch()), "evaluation.encoder_batch",
        "batch " + spec.evaluation().encoderBatch() + ", " + w + "-d");
  }

  /** A shard through one encoder: the sampler's weights stay loaded; the shard's pixels and features. */
  public static Prediction encoding(ExperimentSpec spec, Encoder encoder, NetworkProbe.Result networks) {
    EvaluationSpec e = spec.evaluation();
    Measured net = networks.network(NetworkProbe.encoder(encoder));
    return new Prediction("encoder " + encoder.id(),
        networks.hostBase() + shardPixels(spec) + 2L * e.shardSize() * net.width() * FLOAT,
        networks.deviceBase() + loaded(spec, networks) + net.at(e.encoderBatch()) - net.weights(),
        "evaluation.encoder_batch",
        "batch " + e.encoderBatch() + ", shard " + e.shardSize() + " x " + net.width());
  }

  /**
   * A set's moments and the Frechet distance, float64 on the CPU: the sums, both covariances, the
   * eigenvectors and the products (about ten d x d matrices), and a shard's features as read.
   */
  public static Prediction statistics(ExperimentSpec spec, Encoder encoder, NetworkProbe.Result networks) {
    long w = networks.network(NetworkProbe.encoder(encoder)).width();
    return new Prediction("statistics " + encoder.id(),
        networks.hostBase() + 10 * w * w * DOUBLE + 2L * spec.evaluation().shardSize() * w * FLOAT,
        networks.deviceBase() + loaded(spec, networks), "evaluation.metrics", w + " x " + w + " float64");
  }

  /** Both cuts of prdc_samples rows, their float64 tiles and distances, the radii. */
  public static Prediction prdc(ExperimentSpec spec, int images, NetworkProbe.Result networks) {
    EvaluationSpec e = spec.evaluation();
    long p = Math.min(e.prdcSamples(), Math.min(e.samplesPerSet(), images));
    long w = networks.network(NetworkProbe.encoder(Metric.PRDC.encoder())).width();
    long tile = Math.min(PRDC_TILE, p);
    long host = 2 * p * w * FLOAT + 2 * tile * w * DOUBLE + 2 * tile * tile * DOUBLE + 2 * p * (e.nearestK() + 3L) * DOUBLE;
    return new Prediction("prdc", networks.hostBase() + host, networks.deviceBase() + loaded(spec, networks),
        "evaluation.prdc_samples", p + " x " + p + ", " + w + "-d");
  }

  /** What the evaluation keeps loaded while it runs: the sampler's and every encoder's weights. */
  private static long loaded(ExperimentSpec spec, NetworkProbe.Result networks) {
    return networks.network(NetworkProbe.SAMPLER).weights() + encoderWeights(spec, networks);
  }

  private static long encoderWeights(ExperimentSpec spec, NetworkProbe.Result networks) {
    return spec.evaluation().encoders().stream()
        .mapToLong(e -> networks.network(NetworkProbe.encoder(e)).weights()).sum();
  }

  private static long shardPixels(ExperimentSpec spec) {
    long side = spec.imageResolution();
    return spec.evaluation().shardSize() * side * side * 3;
  }
}
