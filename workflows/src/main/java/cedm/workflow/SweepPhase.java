package cedm.workflow;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;

/** Where a sweep is: one of its stages in the paper's order, done or failed; or what a client could not learn. */
public enum SweepPhase {
  @JsonProperty("starting") STARTING,
  @JsonProperty("dataset") DATASET,
  @JsonProperty("features") FEATURES,
  @JsonProperty("knn") KNN,
  @JsonProperty("search") SEARCH,
  @JsonProperty("grid") GRID,
  @JsonProperty("done") DONE,
  @JsonProperty("failed") FAILED,
  /** The sweep runs, but no worker answered the status query. */
  @JsonProperty("unanswered") UNANSWERED,
  /** The sweep ended without a result and no worker could replay it. */
  @JsonProperty("ended") ENDED;

  /** The name of a stage's phase, as in its {@link StageReport}. */
  public String id() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }

  /** Also reads the phase as workers from before the enum answered it ("failed in knn"), during an upgrade. */
  @JsonCreator
  static SweepPhase read(String phase) {
    String id = phase.startsWith("failed in ") ? "failed" : phase;
    return java.util.Arrays.stream(values()).filter(p -> p.id().equals(id)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("unknown sweep phase " + phase));
  }
}
