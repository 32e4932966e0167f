package cedm.spec;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/** Grid points over C and the baselines trained next to them. */
public record GridSpec(
    List<Integer> points,
    int count,
    Spacing spacing,
    List<ClusteringMethod> methods,
    boolean unconditional,
    boolean groundTruth) {

  public enum Spacing {
    @JsonProperty("log") LOG,
    @JsonProperty("linear") LINEAR
  }
}
