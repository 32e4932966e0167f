package cedm.spec;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** How images are grouped into C clusters. */
public enum ClusteringMethod {
  @JsonProperty("temi") TEMI,
  @JsonProperty("kmeans") KMEANS;

  /** The name used in specs, ids and reports. */
  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The method a spec names, if it is one. */
  public static Optional<ClusteringMethod> byId(String id) {
    return Arrays.stream(values()).filter(m -> m.id().equals(id)).findFirst();
  }
}
