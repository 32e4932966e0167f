package cedm.spec;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/** Frozen feature extractor and kNN mining, as C-EDM and TEMI do (README, "Features and neighbours"). */
public record FeaturesSpec(
    Extractor extractor,
    String model,
    int imageSize,
    List<Double> mean,
    List<Double> std,
    int dim,
    int batchSize,
    int chunkSize,
    int knn) {

  public enum Extractor implements SpecValue {
    @JsonProperty("torchscript") TORCHSCRIPT,
    @JsonProperty("builtin") BUILTIN
  }
}
