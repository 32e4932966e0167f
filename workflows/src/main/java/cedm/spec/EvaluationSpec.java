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
    boolean saveImages) {

  public enum Metric {
    @JsonProperty("fid") FID,
    @JsonProperty("fdd") FDD
  }

  public enum FeatureNetwork {
    @JsonProperty("pretrained") PRETRAINED,
    @JsonProperty("builtin") BUILTIN
  }
}
