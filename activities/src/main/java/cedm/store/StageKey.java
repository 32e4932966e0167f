package cedm.store;

import cedm.spec.SpecDigest;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * Names an artifact by what produced it: the id is a hash of the stage name, the stage's code
 * version, its own spec section and the ids of its inputs. Same inputs, same id: finished work is
 * found again instead of recomputed.
 */
public record StageKey(String stage, int version, String id) {
  private static final ObjectMapper JSON = new ObjectMapper();

  public static StageKey of(String stage, int version, JsonNode section, List<String> inputIds) {
    ObjectNode key = JSON.createObjectNode();
    key.put("stage", stage);
    key.put("version", version);
    key.set("section", section);
    key.set("inputs", JSON.valueToTree(inputIds));
    return new StageKey(stage, version, SpecDigest.of(key).substring(0, 24));
  }

  /** The key's file-system name, unique across stages. */
  public String name() {
    return stage + "-" + id;
  }
}
