package cedm.edm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import cedm.io.BadInputException;
import org.junit.jupiter.api.Test;

class StepPlanTest {
  @Test
  void thePapersSplits() throws Exception {
    StepPlan cifar = StepPlan.of(1024, 128, 4, 50000);
    assertEquals(2, cifar.rounds());
    assertEquals(256, cifar.perReplica());
    assertEquals(3 * 256 + 128, cifar.first(3, 1), "replica 3's second round starts at image 896");
    assertEquals(1, StepPlan.of(512, null, 4, 70000).rounds(), "null: the whole per-device batch at once");
    assertEquals(1, StepPlan.of(512, 1024, 4, 70000).rounds(), "larger than a device's share: one round, as EDM clamps");
  }

  @Test
  void aSmallDatasetCapsTheBatchTheSameWayWhateverTheRounds() throws Exception {
    for (Integer batchGpu : new Integer[] {null, 2, 50, 250}) {
      assertEquals(1000, StepPlan.of(2048, batchGpu, 4, 1000).batch(), "batch_gpu " + batchGpu);
    }
    assertEquals(999, StepPlan.of(2048, null, 1, 999).batch());
    assertEquals(996, StepPlan.of(2048, null, 4, 999).batch(), "a multiple of the replicas");
  }

  @Test
  void aRoundThatDoesNotDivideIsRefusedWithTheField() {
    BadInputException e = assertThrows(BadInputException.class, () -> StepPlan.of(1000, 64, 4, 1000));
    assertEquals("training.batch_gpu 64 does not divide the 250 images per device (allowed: a divisor of 250, or null)",
        e.getMessage());
  }
}
