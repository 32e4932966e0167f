package cedm.edm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Checkpoints written by every version resume; one that lacks what a resume needs is refused, not read as zeros. */
class EdmCheckpointMetaTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void writesTheKeysOlderVersionsWroteAndReadsItBack() throws Exception {
    EdmCheckpointMeta meta = new EdmCheckpointMeta(512, 16, 1, 12, 32, true, Map.of("w", 16L));
    assertEquals("{\"nimg\":512,\"step\":16,\"epoch\":1,\"position\":12,\"batch\":32,\"planned_stop\":true,"
        + "\"adam_steps\":{\"w\":16}}", JSON.writeValueAsString(meta.toJson()));
    assertEquals(meta, EdmCheckpointMeta.of(meta.toJson()));
  }

  @Test
  void aCheckpointFromBeforeBatchAndPlannedStopResumesAsAnInterruptedOne() throws Exception {
    EdmCheckpointMeta old = EdmCheckpointMeta.of(JSON.readTree(
        "{\"nimg\":64,\"step\":2,\"epoch\":0,\"position\":64,\"adam_steps\":{\"w\":2},\"added_later\":1}"));
    assertEquals(0, old.batch(), "0: the batch was not recorded");
    assertFalse(old.plannedStop());
  }

  @Test
  void aCheckpointWithoutItsPositionIsRefused() throws Exception {
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> EdmCheckpointMeta.of(JSON.readTree(
        "{\"nimg\":64,\"step\":2,\"epoch\":0,\"adam_steps\":{}}")));
    assertTrue(e.getMessage().contains("position"), e.getMessage());
  }
}
