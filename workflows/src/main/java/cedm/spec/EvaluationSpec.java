package cedm.spec;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/** Sampling and FID/FDD scoring of each trained model (REFERENCE.md, "Sampling", "FID and FDD"). */
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
        metrics, featureNetwork, inceptionModel, dinov2Model, fidReference, false, duringTraining);
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

  public enum Metric {
    @JsonProperty("fid") FID,
    @JsonProperty("fdd") FDD
  }

  public enum FeatureNetwork {
    @JsonProperty("pretrained") PRETRAINED,
    @JsonProperty("builtin") BUILTIN
  }
}
