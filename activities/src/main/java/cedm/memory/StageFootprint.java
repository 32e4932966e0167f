package cedm.memory;

import cedm.eval.Prdc;
import cedm.eval.ReferenceStatistics;
import cedm.knn.KnnMiner;
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
 * networks' measured costs ({@link NetworkProbe}). On the host: the process's own footprint (JVM,
 * engine), the Java heap (the stage's live arrays, or the young generation G1 grows to, whichever
 * is larger) and native buffers; on the device: each network at the batch the spec gives. What
 * scales with the dataset is its features, the neighbour lists and TEMI's inputs; nothing scales
 * with a shard or a set beyond a shard's pixels and features. Checked against the peaks the
 * stages reach at the paper's sizes by {@code cedm rehearse} (docs/memory.md, BENCHMARKS.md).
 */
public final class StageFootprint {
  private static final int FLOAT = 4;
  private static final int DOUBLE = 8;
  private static final int LONG = 8;
  /**
   * The Java heap a stage that streams batches reaches beyond its live arrays: G1 sizes its young
   * generation by the allocation rate, and `cedm rehearse` measured peaks of 0.33 to 0.72 GB at the
   * paper's sizes whatever the stage kept.
   */
  static final long HEAP_SLACK = 500_000_000L;
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
    return new Prediction("features", host(networks, 3L * chunk * width * FLOAT, 0),
        networks.deviceBase() + net.at(Math.min(spec.features().batchSize(), chunk)), "features.batch_size",
        "extractor at batch " + Math.min(spec.features().batchSize(), chunk) + ", chunks of " + chunk + " x " + width);
  }

  /** Features read (file buffer, array, normalised copy, native copy), one tile, the top lists and the result. */
  public static Prediction knn(ExperimentSpec spec, int images, NetworkProbe.Result networks) {
    long n = images;
    long d = networks.network(NetworkProbe.FEATURES).width();
    long m = spec.features().knn();
    long tile = Math.min(KnnMiner.BLOCK_ROWS, n);
    long heap = 3 * n * d * FLOAT + n * (m + 1) * (LONG + FLOAT) + 2 * n * m * (LONG + FLOAT);
    return new Prediction("knn", host(networks, heap, n * d * FLOAT + tile * tile * FLOAT), 0, "features.knn", n + " x " + d + " features, m = " + m);
  }

  /**
   * Features (file buffer and array on the host, a tensor on the device), the neighbour lists
   * (buffer, array) and each epoch's pairs, and the heads at {@code clusters} with one step's
   * working set at the spec's batch, as the probe measured them at the same C.
   */
  public static Prediction temi(ExperimentSpec spec, int images, int clusters, NetworkProbe.Result networks) {
    TemiSpec t = spec.clustering().temi();
    long n = images;
    long d = networks.network(NetworkProbe.FEATURES).width();
    long k = spec.features().knn();
    Measured heads = networks.network(NetworkProbe.TEMI);
    return new Prediction("temi", host(networks, 2 * n * d * FLOAT + 2 * n * k * LONG + 2 * n * FLOAT, 0),
        networks.deviceBase() + n * d * FLOAT + heads.at(t.batchSize()), "clustering.temi.batch_size",
        String.format("C = %d, %d heads, batch %d", clusters, t.heads(), t.batchSize()));
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
    return new Prediction("sampling", host(networks, shardPixels(spec), 0),
        networks.deviceBase() + sampler.at(e.batchSize()) + encoderWeights(spec, networks), "evaluation.batch_size",
        "micro-batch " + e.batchSize() + ", shard " + e.shardSize());
  }

  /** The training images' statistics: the encoder at its batch, a read block, its features, the sums. */
  public static Prediction reference(ExperimentSpec spec, Encoder encoder, NetworkProbe.Result networks) {
    Measured net = networks.network(NetworkProbe.encoder(encoder));
    // The training images come ReferenceStatistics.READ_BLOCK at a time: no batch is larger.
    int batch = Math.min(spec.evaluation().encoderBatch(), ReferenceStatistics.READ_BLOCK);
    long side = spec.imageResolution();
    long w = net.width();
    long heap = ReferenceStatistics.READ_BLOCK * side * side * 3 + 2L * ReferenceStatistics.READ_BLOCK * w * FLOAT
        + 2 * w * w * DOUBLE;
    return new Prediction("reference " + encoder.id(), host(networks, heap, 0),
        networks.deviceBase() + net.at(batch), "evaluation.encoder_batch", "batch " + batch + ", " + w + "-d");
  }

  /** A shard through one encoder: the sampler's weights stay loaded; the shard's pixels and features. */
  public static Prediction encoding(ExperimentSpec spec, Encoder encoder, NetworkProbe.Result networks) {
    EvaluationSpec e = spec.evaluation();
    Measured net = networks.network(NetworkProbe.encoder(encoder));
    // A shard is encoded in batches: none is larger than the shard.
    int batch = Math.min(e.encoderBatch(), e.shardSize());
    return new Prediction("encoder " + encoder.id(),
        host(networks, shardPixels(spec) + 2L * e.shardSize() * net.width() * FLOAT, 0),
        networks.deviceBase() + loaded(spec, networks) + net.at(batch) - net.weights(),
        "evaluation.encoder_batch",
        "batch " + batch + ", shard " + e.shardSize() + " x " + net.width());
  }

  /**
   * A set's moments and the Frechet distance, float64 on the CPU: the sums, both covariances, the
   * eigenvectors and the products (about ten d x d matrices), and a shard's features as read.
   */
  public static Prediction statistics(ExperimentSpec spec, Encoder encoder, NetworkProbe.Result networks) {
    long w = networks.network(NetworkProbe.encoder(encoder)).width();
    return new Prediction("statistics " + encoder.id(),
        host(networks, 6 * w * w * DOUBLE + 2L * spec.evaluation().shardSize() * w * FLOAT, 4 * w * w * DOUBLE),
        networks.deviceBase() + loaded(spec, networks), "evaluation.metrics", w + " x " + w + " float64");
  }

  /** Both cuts of prdc_samples rows, their float64 tiles and distances, the radii. */
  public static Prediction prdc(ExperimentSpec spec, int images, NetworkProbe.Result networks) {
    EvaluationSpec e = spec.evaluation();
    long p = Math.min(e.prdcSamples(), Math.min(e.samplesPerSet(), images));
    long w = networks.network(NetworkProbe.encoder(Metric.PRDC.encoder())).width();
    long tile = Math.min(Prdc.TILE, p);
    long heap = 2 * p * w * FLOAT + tile * tile * DOUBLE + 2 * p * (e.nearestK() + 3L) * DOUBLE;
    long offHeap = 2 * tile * w * DOUBLE + tile * tile * DOUBLE;
    return new Prediction("prdc", host(networks, heap, offHeap), networks.deviceBase() + loaded(spec, networks),
        "evaluation.prdc_samples", p + " x " + p + ", " + w + "-d");
  }

  /**
   * The host's part: the process's own, the Java heap, and native buffers. The heap is the larger of
   * the live arrays and the young generation G1 grows to under a stage's allocation rate.
   */
  private static long host(NetworkProbe.Result networks, long heapLive, long nativeBytes) {
    return networks.hostBase() + Math.max(heapLive, HEAP_SLACK) + nativeBytes;
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
