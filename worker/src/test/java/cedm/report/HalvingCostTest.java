package cedm.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import cedm.spec.ClusteringMethod;
import cedm.store.DeviceLedger;
import cedm.workflow.GridPoint;
import cedm.workflow.RungDecision;
import cedm.workflow.RungScore;
import cedm.workflow.SweepPhase;
import cedm.workflow.SweepStatus;
import cedm.workflow.TrialResult;
import cedm.workflow.TrialState;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The full grid's estimate: what was spent, plus each stopped point brought up to a finished point's mean. */
class HalvingCostTest {
  private static DeviceLedger.Entry gpu(String trial, double seconds) {
    return new DeviceLedger.Entry("training", trial, 4, "gpu", 1, seconds, "computed", "2026-11-26T00:00:00Z");
  }

  private static TrialResult trial(int c, TrialState state) {
    return new TrialResult(GridPoint.clusters(ClusteringMethod.TEMI, c), state, null, null, null, "");
  }

  private static final RungDecision RUNG = new RungDecision(ClusteringMethod.TEMI, 0, 1.0,
      List.of(new RungScore("temi-C=4", List.of(1.0), "e")), new RungScore("temi-C=4", List.of(1.0), "e"), 0,
      List.of("temi-C=4"), List.of(), List.of("temi-C=8"), List.of());

  @Test
  void stoppedPointsAreEstimatedAtTheMeanOfThoseThatFinished() {
    // Finished points took 10 h and 14 h (mean 12 h); the stopped ones 3 h and 5 h; the baseline 6 h; shared stages 2 h.
    DeviceTime time = DeviceTime.of(List.of(gpu("temi-C=4", 36_000), gpu("temi-C=6", 50_400), gpu("temi-C=8", 10_800),
        gpu("temi-C=16", 18_000), gpu("unconditional", 21_600), gpu("", 7_200)));
    SweepStatus status = new SweepStatus("s", SweepPhase.DONE, List.of(), null, List.of(), List.of(trial(4, TrialState.DONE),
        trial(6, TrialState.DONE), trial(8, TrialState.STOPPED), trial(16, TrialState.STOPPED),
        new TrialResult(new GridPoint(GridPoint.Kind.UNCONDITIONAL, null, 1), TrialState.DONE, null, null, null, "")),
        List.of(RUNG));
    HalvingCost cost = HalvingCost.of(status, time);
    assertEquals("GPU-hours", cost.unit());
    assertEquals(40, cost.spentHours(), 1e-9);
    assertEquals(40 + 9 + 7, cost.fullGridHours(), 1e-9);
    assertEquals(2, cost.finished(), "the baseline is not a clustering point");
    assertEquals(2, cost.stopped());
    assertEquals(1 - 40.0 / 56, cost.savedFraction(), 1e-12);
  }

  @Test
  void noEstimateWithoutARungOrAFinishedPointOrWhilePointsStillRun() {
    DeviceTime time = DeviceTime.of(List.of(gpu("temi-C=8", 100), gpu("temi-C=4", 400)));
    List<TrialResult> trials = List.of(trial(8, TrialState.STOPPED));
    assertNull(HalvingCost.of(new SweepStatus("s", SweepPhase.DONE, List.of(), null, List.of(), trials, List.of()), time));
    assertNull(HalvingCost.of(new SweepStatus("s", SweepPhase.DONE, List.of(), null, List.of(), trials, List.of(RUNG)), time));
    assertNull(HalvingCost.of(new SweepStatus("s", SweepPhase.GRID, List.of(), null, List.of(),
        List.of(trial(4, TrialState.DONE), trial(8, TrialState.STOPPED), trial(16, TrialState.WAITING)),
        List.of(RUNG)), time), "a point still waits at a rung");
  }
}
