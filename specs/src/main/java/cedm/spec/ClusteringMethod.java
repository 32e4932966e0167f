package cedm.spec;

import com.fasterxml.jackson.annotation.JsonProperty;

/** How images are grouped into C clusters. */
public enum ClusteringMethod implements SpecValue {
  @JsonProperty("temi") TEMI,
  @JsonProperty("kmeans") KMEANS;
}
