package cedm.edm;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;

/**
 * What an EDM checkpoint records beside its tensors: where training stands and the data position,
 * so a resumed run continues bit for bit.
 *
 * @param batch the images per step it was trained with; 0 in checkpoints from before it was recorded
 * @param plannedStop written where a call was asked to stop (a rung or snapshot), not by an interruption
 * @param adamSteps Adam's step count per parameter
 */
// Keys a later version may add are left to it; the ones a resume depends on must be there.
@JsonIgnoreProperties(ignoreUnknown = true)
record EdmCheckpointMeta(
    @JsonProperty(required = true) long nimg,
    @JsonProperty(required = true) long step,
    @JsonProperty(required = true) int epoch,
    @JsonProperty(required = true) int position,
    int batch,
    @JsonProperty("planned_stop") boolean plannedStop,
    @JsonProperty(value = "adam_steps", required = true) Map<String, Long> adamSteps) {
  private static final ObjectMapper JSON = new ObjectMapper();

  static EdmCheckpointMeta of(JsonNode meta) {
    try {
      return JSON.treeToValue(meta, EdmCheckpointMeta.class);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("unreadable EDM checkpoint metadata: " + e.getOriginalMessage(), e);
    }
  }

  JsonNode toJson() {
    return JSON.valueToTree(this);
  }
}
