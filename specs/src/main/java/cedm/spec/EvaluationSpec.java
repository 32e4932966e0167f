package cedm.spec;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * Sampling and FID/FDD scoring of each trained model, as NVlabs/edm's generate.py and fid.py and
 * dgm-eval do (README, "Evaluation").
 */
public record EvaluationSpec(
    int sets,
    int samplesPerSet,
    int batchSize,
    int shardSize,
    int encoderBatch,
    int steps,
    double sigmaMin,
    double sigmaMax,
    double rho,
    List<Metric> metrics,
    int nearestK,
    int prdcSamples,
    FeatureNetwork featureNetwork,
    String inceptionModel,
    String dinov2Model,
    String fidReference,
    boolean saveImages,
    DuringTraining duringTraining) {

  /** EDM's fid.py batch: what requests recorded before evaluation.encoder_batch existed (0 there) use. */
  public static final int FID_BATCH = 64;

  public EvaluationSpec {
    if (encoderBatch == 0) {
      encoderBatch = FID_BATCH;
    }
  }

  /** The evaluation of one snapshot: one set of during_training.samples samples, nothing saved. */
  public EvaluationSpec forSnapshots() {
    return forSnapshots(1, duringTraining.samples());
  }

  /** The evaluation of a snapshot with {@code sets} sets of {@code samples} samples, nothing saved. */
  public EvaluationSpec forSnapshots(int sets, int samples) {
    return new EvaluationSpec(sets, samples, batchSize, shardSize, encoderBatch, steps, sigmaMin, sigmaMax, rho,
        metrics, nearestK, prdcSamples, featureNetwork, inceptionModel, dinov2Model, fidReference, false, duringTraining);
  }

  /**
   * Evaluation of snapshots while training runs.
   *
   * @param everyMimg snapshot interval, null when off
   * @param samples samples per snapshot (one set)
   */
  public record DuringTraining(Double everyMimg, int samples) {
    /** Histories and specs from before the field carry null: off. */
    public static boolean enabled(DuringTraining d) {
      return d != null && d.everyMimg() != null;
    }
  }

  /** The feature network that embeds images for a metric. */
  public enum Encoder implements SpecValue {
    /** NVIDIA's Inception-v3 pool features. */
    INCEPTION("Inception-v3", 2048),
    /** DINOv2 ViT-L/14 class token. */
    DINOV2("DINOv2 ViT-L/14", 1024);

    private final String displayName;
    private final int dim;

    Encoder(String displayName, int dim) {
      this.displayName = displayName;
      this.dim = dim;
    }

    /** The spec field naming its TorchScript file: evaluation.ID_model. */
    public String modelField() {
      return "evaluation." + id() + "_model";
    }

    /** The network's name as papers give it. */
    public String displayName() {
      return displayName;
    }

    /** The width of its features. */
    public int dim() {
      return dim;
    }
  }

  /**
   * One value per sample set that a metric gives: its name in scores, reports and gauges, whether
   * it is a distance (lower is better, shown to 2 decimals) or a share (higher is better, 3 decimals).
   */
  public enum Result implements SpecValue {
    FID(true, "FID"),
    FDD(true, "FD_DINOv2"),
    PRECISION(false, "Precision (Kynkaanniemi et al. 2019)"),
    RECALL(false, "Recall (Kynkaanniemi et al. 2019)"),
    DENSITY(false, "Density (Naeem et al. 2020)"),
    COVERAGE(false, "Coverage (Naeem et al. 2020)");

    private final boolean distance;
    private final String what;

    Result(boolean distance, String what) {
      this.distance = distance;
      this.what = what;
    }

    public boolean distance() {
      return distance;
    }

    /** What one value is, for a gauge's help text. */
    public String help() {
      return what + " of one sample set";
    }

    /** The result recorded under {@code id}; scores hold no other names. */
    public static Result of(String id) {
      return SpecValue.byId(Result.class, id)
          .orElseThrow(() -> new IllegalArgumentException("no metric gives a result named " + id));
    }
  }

  /**
   * A metric reads one encoder's features and gives one or more results. Those that compare
   * samples one by one need every feature row of the reference, not only its moments.
   */
  public enum Metric implements SpecValue {
    @JsonProperty("fid") FID(Encoder.INCEPTION, false, List.of(), Result.FID),
    @JsonProperty("fdd") FDD(Encoder.DINOV2, false, List.of(), Result.FDD),
    /** Precision and recall (Kynkaanniemi et al. 2019), density and coverage (Naeem et al. 2020). */
    @JsonProperty("prdc") PRDC(Encoder.DINOV2, true, List.of("nearestK", "prdcSamples"),
        Result.PRECISION, Result.RECALL, Result.DENSITY, Result.COVERAGE);

    private final Encoder encoder;
    private final boolean needsRows;
    private final List<String> settings;
    private final List<Result> results;

    Metric(Encoder encoder, boolean needsRows, List<String> settings, Result... results) {
      this.encoder = encoder;
      this.needsRows = needsRows;
      this.settings = settings;
      this.results = List.of(results);
    }

    public Encoder encoder() {
      return encoder;
    }

    /** Whether it reads every feature row of the reference and the samples, beyond their moments. */
    public boolean needsRows() {
      return needsRows;
    }

    /** The components of this record that only it reads: they identify its evaluations only when it runs. */
    public List<String> settings() {
      return settings;
    }

    /** What it records in {@code EvaluationArtifact.scores}, in order. */
    public List<Result> results() {
      return results;
    }
  }

  /** The TorchScript file of a pretrained encoder. */
  public String modelFile(Encoder encoder) {
    return switch (encoder) {
      case INCEPTION -> inceptionModel;
      case DINOV2 -> dinov2Model;
    };
  }

  /** The encoders the metrics read, each once, in the metrics' order. */
  public List<Encoder> encoders() {
    return metrics.stream().map(Metric::encoder).distinct().toList();
  }

  public enum FeatureNetwork implements SpecValue {
    @JsonProperty("pretrained") PRETRAINED,
    @JsonProperty("builtin") BUILTIN
  }
}
