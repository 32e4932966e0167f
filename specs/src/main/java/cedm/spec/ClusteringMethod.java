package cedm.spec;

import com.fasterxml.jackson.annotation.JsonProperty;

/** How images are grouped into C clusters. */
public enum ClusteringMethod {
  @JsonProperty("temi") TEMI,
  @JsonProperty("kmeans") KMEANS;

  /** The name used in specs, ids and reports. */
  public String id() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
