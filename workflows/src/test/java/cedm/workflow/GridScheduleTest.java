package cedm.workflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cedm.spec.ClusteringMethod;
import cedm.spec.GridSpec;
import cedm.stage.EvaluationArtifact;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The grid's books without Temporal: stretches, rung decisions, late points and the carry. */
class GridScheduleTest {
  private static GridSpec grid(String grid) throws Exception {
    return TestSpecs.parse("grid", """
        search: {enabled: false}
        grid: %s
        training: {duration_mimg: 0.003, checkpoint_kimg: 1, tick_kimg: 1}
        evaluation: {feature_network: builtin}
        """.formatted(grid)).spec().grid();
  }

  private static final String HALVING = "{points: [2, 4, 8], methods: [temi], ground_truth: false, "
      + "schedule: successive_halving, successive_halving: {rungs_mimg: [0.001], eta: 2, sets: 3, samples: 100, "
      + "noise_sigmas: 0}}";

  /** The trial's answer at a rung: waiting, with these FIDs. */
  private static TrialResult atRung(GridPoint point, double fid) {
    EvaluationArtifact scores = new EvaluationArtifact("eval-" + point.id(), false, point.id(), true, 100,
        Map.of("fid", List.of(fid, fid, fid)));
    return new TrialResult(point, TrialState.WAITING, null, null, scores, "trained to the rung");
  }

  private static List<GridPoint> startAll(GridSchedule schedule) {
    List<GridPoint> started = new ArrayList<>();
    while (schedule.hasQueued()) {
      started.add(schedule.start());
    }
    return started;
  }

  @Test
  void aFullGridTrainsEachPointInOneStretchToTheEnd() throws Exception {
    GridSchedule schedule = new GridSchedule(grid("{points: [2, 4], methods: [temi, kmeans], ground_truth: false}"));
    schedule.addClusters(List.of(2, 4));
    schedule.addClusters(List.of(4));
    List<GridPoint> started = startAll(schedule);
    assertEquals(List.of("temi-C=2", "kmeans-C=2", "temi-C=4", "kmeans-C=4"), started.stream().map(GridPoint::id).toList(),
        "each C once per method, in the order added");
    for (GridPoint p : started) {
      assertEquals(0, schedule.stretchFrom(p));
      assertNull(schedule.stretchUntil(p));
      assertEquals(TrialState.RUNNING, schedule.trial(p.id()).state());
      schedule.finished(p.id(), new TrialResult(p, TrialState.DONE, null, null, null, "done"));
    }
    assertTrue(schedule.trials().stream().allMatch(t -> t.state() == TrialState.DONE));
    assertFalse(schedule.hasQueued());
    assertTrue(schedule.decisions().isEmpty());
  }

  @Test
  void aRungIsDecidedWhenItsLastPointArrivesAndTheKeptPointsTrainOnFromIt() throws Exception {
    GridSchedule schedule = new GridSchedule(grid(HALVING));
    schedule.addClusters(List.of(2, 4, 8));
    List<GridPoint> started = startAll(schedule);
    assertEquals(1.0, schedule.stretchUntil(started.get(0)));
    Map<String, Double> fids = Map.of("temi-C=2", 30.0, "temi-C=4", 20.0, "temi-C=8", 40.0);
    schedule.finished("temi-C=2", atRung(started.get(0), fids.get("temi-C=2")));
    schedule.finished("temi-C=4", atRung(started.get(1), fids.get("temi-C=4")));
    assertTrue(schedule.decisions().isEmpty(), "C=8 has not arrived");
    assertEquals(TrialState.WAITING, schedule.trial("temi-C=2").state());
    schedule.finished("temi-C=8", atRung(started.get(2), fids.get("temi-C=8")));

    assertEquals(1, schedule.decisions().size());
    RungDecision decision = schedule.decisions().get(0);
    assertEquals(List.of("temi-C=4", "temi-C=2"), decision.kept(), "eta 2 keeps the best ceil(3/2), best first");
    assertEquals(TrialState.STOPPED, schedule.trial("temi-C=8").state());
    assertTrue(schedule.trial("temi-C=8").note().startsWith("stopped at rung 1 (1.0 kimg): FID 40.00"),
        schedule.trial("temi-C=8").note());
    List<GridPoint> onward = startAll(schedule);
    assertEquals(2, onward.size());
    for (GridPoint p : onward) {
      assertEquals(1.0, schedule.stretchFrom(p), "continues from the rung it passed");
      assertNull(schedule.stretchUntil(p), "and trains to the end");
    }
  }

  @Test
  void aPointAddedAfterItsRungWasDecidedIsHeldToThatCut() throws Exception {
    GridSchedule schedule = new GridSchedule(grid(HALVING));
    schedule.addClusters(List.of(2, 4));
    List<GridPoint> first = startAll(schedule);
    schedule.finished("temi-C=2", atRung(first.get(0), 30.0));
    schedule.finished("temi-C=4", atRung(first.get(1), 20.0));
    startAll(schedule);
    schedule.addClusters(List.of(16, 32));
    List<GridPoint> late = startAll(schedule);
    schedule.finished("temi-C=16", atRung(late.get(0), 15.0));
    schedule.finished("temi-C=32", atRung(late.get(1), 35.0));
    assertEquals(1, schedule.decisions().size(), "no second decision for the same rung");
    assertEquals(TrialState.PENDING, schedule.trial("temi-C=16").state(), "better than the cut: on to the end");
    assertEquals(TrialState.STOPPED, schedule.trial("temi-C=32").state(), "worse than the cut");
  }

  @Test
  void aFailedPointLeavesItsRungAndTheCarryResumesTheBooks() throws Exception {
    GridSpec spec = grid(HALVING);
    GridSchedule schedule = new GridSchedule(spec);
    schedule.addClusters(List.of(2, 4, 8));
    List<GridPoint> started = startAll(schedule);
    schedule.finished("temi-C=2", atRung(started.get(0), 30.0));
    schedule.failed("temi-C=4", "out of memory");
    assertTrue(schedule.decisions().isEmpty());
    schedule.finished("temi-C=8", atRung(started.get(2), 40.0));
    assertEquals(List.of("temi-C=2"), schedule.decisions().get(0).kept(), "decided among the two that arrived");
    assertEquals("out of memory", schedule.trial("temi-C=4").note());

    GridSchedule resumed = GridSchedule.resumed(spec, new SweepCarry(List.of(), null, null, null, null,
        schedule.trials(), schedule.stretches(), schedule.decisions()));
    GridPoint next = resumed.start();
    assertEquals("temi-C=2", next.id(), "the pending point queues again");
    assertEquals(1.0, resumed.stretchFrom(next));
    assertFalse(resumed.hasQueued());
    assertEquals(schedule.decisions(), resumed.decisions());
    assertEquals(ClusteringMethod.TEMI, resumed.trial("temi-C=8").point().method());
  }
}
