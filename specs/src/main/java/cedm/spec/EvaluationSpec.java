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

  /** The evaluation of one snapshot: one set of during_training.samples samples, nothing saved. */
  public EvaluationSpec forSnapshots() {
    return forSnapshots(1, duringTraining.samples());
  }

  /** The evaluation of a snapshot with {@code sets} sets of {@code samples} samples, nothing saved. */
  public EvaluationSpec forSnapshots(int sets, int samples) {
    return new EvaluationSpec(sets, samples, batchSize, shardSize, steps, sigmaMin, sigmaMax, rho,
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
  public enum Encoder {
    /** NVIDIA's Inception-v3 pool features, 2048-d. */
    INCEPTION("inception", "evaluation.inception_model"),
    /** DINOv2 ViT-L/14 class token, 1024-d. */
    DINOV2("dinov2", "evaluation.dinov2_model");

    private final String id;
    private final String modelField;

    Encoder(String id, String modelField) {
      this.id = id;
      this.modelField = modelField;
    }

    public String id() {
      return id;
    }

    /** The spec field naming its TorchScript file. */
    public String modelField() {
      return modelField;
    }
  }

  /** A metric reads one encoder's features and gives one or more results, each one value per sample set. */
  public enum Metric {
    @JsonProperty("fid") FID(Encoder.INCEPTION, "fid"),
    @JsonProperty("fdd") FDD(Encoder.DINOV2, "fdd"),
    /** Precision and recall (Kynkaanniemi et al. 2019), density and coverage (Naeem et al. 2020). */
    @JsonProperty("prdc") PRDC(Encoder.DINOV2, "precision", "recall", "density", "coverage");

    private final Encoder encoder;
    private final List<String> results;

    Metric(Encoder encoder, String... results) {
      this.encoder = encoder;
      this.results = List.of(results);
    }

    public Encoder encoder() {
      return encoder;
    }

    /** The names its values are recorded under in {@code EvaluationArtifact.scores}. */
    public List<String> results() {
      return results;
    }
  }

  /** The TorchScript file of a pretrained encoder. */
  public String modelFile(Encoder encoder) {
    return encoder == Encoder.INCEPTION ? inceptionModel : dinov2Model;
  }

  /** The encoders the metrics read, each once, in the metrics' order. */
  public List<Encoder> encoders() {
    return metrics.stream().map(Metric::encoder).distinct().toList();
  }

  public enum FeatureNetwork {
    @JsonProperty("pretrained") PRETRAINED,
    @JsonProperty("builtin") BUILTIN
  }
}
