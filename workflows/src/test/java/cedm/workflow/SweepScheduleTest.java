package cedm.workflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cedm.spec.ExperimentSpec;
import cedm.spec.LoadedSpec;
import cedm.stage.TrainingRequest;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.enums.v1.EventType;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.testing.WorkflowReplayer;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Successive halving in the sweep, with fake stages whose rung FIDs the test sets: which points
 * continue at each rung, the noise guard, a point added late, a sweep killed at each rung and
 * submitted again, and replay of the recorded histories.
 */
class SweepScheduleTest {
  private static final String SWEEP = "halving-1";
  /** Rung FIDs per point: at 1 kimg, C=8 leads, C=32 makes the cut, C=16 is within noise of it, C=2 is far off. */
  private static final Map<String, List<Double>> RUNG_1 = Map.of(
      "temi-C=2", List.of(50.0, 50.0, 50.0),
      "temi-C=4", List.of(39.0, 40.0, 41.0),
      "temi-C=8", List.of(30.0, 30.0, 30.0),
      "temi-C=16", List.of(40.0, 43.0, 46.0),
      "temi-C=32", List.of(42.0, 42.5, 43.0));
  private static final Map<String, Double> RUNG_2 = Map.of("temi-C=4", 35.0, "temi-C=8", 25.0, "temi-C=16", 38.0,
      "temi-C=32", 36.0);

  @RegisterExtension final TemporalPerTest temporal = new TemporalPerTest();

  private static ExperimentSpec spec(String points) throws Exception {
    return spec(points, "");
  }

  private static ExperimentSpec spec(String points, String duringTraining) throws Exception {
    LoadedSpec loaded = TestSpecs.parse("halving", """
        search: {enabled: false}
        grid:
          points: %s
          methods: [temi]
          ground_truth: false
          schedule: successive_halving
          successive_halving: {rungs_mimg: [0.001, 0.002], eta: 2, sets: 3, samples: 100, noise_sigmas: 1}
        training: {duration_mimg: 0.003, checkpoint_kimg: 1, tick_kimg: 1}
        evaluation: {feature_network: builtin%s}
        runtime: {parallel_trials: 2}
        """.formatted(points, duringTraining));
    return loaded.spec();
  }

  private static FakeStages stages() {
    FakeStages stages = new FakeStages(c -> 1.0);
    stages.snapshotFid = (trial, kimg, sets) -> {
      if (sets == 1) {
        return List.of(99.0); // a snapshot of evaluation during training, between the rungs
      }
      assertEquals(3, sets, "a rung is evaluated with successive_halving.sets");
      return kimg < 1.5 ? RUNG_1.get(trial) : Collections.nCopies(3, RUNG_2.get(trial));
    };
    return stages;
  }

  private SweepWorkflow start(FakeStages stages, ExperimentSpec spec) {
    return stages.serve(temporal.env(), spec, SWEEP);
  }

  private SweepWorkflow stub(ExperimentSpec spec) {
    return temporal.env().getWorkflowClient().newWorkflowStub(SweepWorkflow.class,
        WorkflowOptions.newBuilder().setWorkflowId(SWEEP).setTaskQueue(spec.runtime().cpuQueue()).build());
  }

  private static Map<String, TrialResult> byId(SweepResult r) {
    return r.trials().stream().collect(Collectors.toMap(t -> t.point().id(), t -> t));
  }

  private static List<String> trained(FakeStages stages) {
    return stages.trained.stream().map(TrainingRequest::labels).map(l -> l.trial()).distinct().sorted().toList();
  }

  /** The decisions and what ran for the five points of {@link #RUNG_1}, however the sweep got there. */
  private static void assertTheRungDecisions(SweepResult r, FakeStages stages) {
    assertEquals(2, r.rungs().size(), r.rungs().toString());
    RungDecision first = r.rungs().get(0);
    assertEquals(List.of("temi-C=8", "temi-C=4", "temi-C=32", "temi-C=16"), first.kept(),
        () -> r.trials().stream().map(t -> t.point().id() + " " + t.state() + " " + t.note()).toList().toString());
    assertEquals(List.of("temi-C=16"), first.guarded(),
        "43 is within one sigma (sqrt(2 * 2.05 / 3) = 1.17, pooled over the five points' sets) of the cut's 42.5");
    assertEquals(List.of("temi-C=2"), first.stopped());
    assertEquals("temi-C=32", first.cut().pointId());
    RungDecision second = r.rungs().get(1);
    assertEquals(2.0, second.kimg());
    assertEquals(List.of("temi-C=8", "temi-C=4"), second.kept(), "ceil(4 / 2) = 2");
    assertEquals(List.of("temi-C=32", "temi-C=16"), second.stopped());
    Map<String, TrialResult> trials = byId(r);
    assertEquals(TrialState.STOPPED, trials.get("temi-C=2").state());
    assertTrue(trials.get("temi-C=2").note().startsWith(
        "stopped at rung 1 (1.0 kimg): FID 50.00 +- 0.83 against the cut 42.50 +- 0.83 (temi-C=32)"),
        trials.get("temi-C=2").note());
    assertEquals(TrialState.STOPPED, trials.get("temi-C=16").state());
    assertEquals(List.of(1.0, 2.0), trials.get("temi-C=16").curve().stream().map(CurvePoint::kimg).toList());
    assertEquals(TrialState.DONE, trials.get("temi-C=8").state());
    assertEquals(List.of(30.0, 25.0, 31.0), trials.get("temi-C=8").curve().stream().map(CurvePoint::meanFid).toList(),
        "both rungs, then the final model");
    assertEquals(TrialState.DONE, trials.get("unconditional").state(), "the baseline runs to the end");
    assertEquals(List.of("temi-C=4", "temi-C=8", "unconditional"), trained(stages), "only the survivors train to the end");
    assertTrue(stages.snapshotted.stream().noneMatch(s -> s.equals("temi-C=2@2.0")), stages.snapshotted.toString());
  }

  @Test
  void theBestPointsContinueAtEachRungAndThoseWithinNoiseOfTheCutAreKept() throws Exception {
    ExperimentSpec spec = spec("[2, 4, 8, 16, 32]");
    FakeStages stages = stages();
    SweepResult r = start(stages, spec).run(new SweepRequest(SWEEP, spec));
    assertTheRungDecisions(r, stages);
    assertEquals(List.of("temi-C=16@1.0", "temi-C=16@2.0", "temi-C=2@1.0", "temi-C=32@1.0", "temi-C=32@2.0",
        "temi-C=4@1.0", "temi-C=4@2.0", "temi-C=8@1.0", "temi-C=8@2.0"), stages.snapshotted.stream().sorted().toList(),
        "each stretch once, each continued from its rung");
    assertEquals(r.rungs(), temporal.env().getWorkflowClient().newWorkflowStub(SweepWorkflow.class, SWEEP).status().rungs(),
        "status shows the decisions");
  }

  /**
   * With evaluation during training as well, each stretch evaluates the snapshots inside it, the
   * rungs replace the snapshots they fall on, and the baselines, which have no rungs, get them all.
   */
  @Test
  void snapshotsBetweenTheRungsAreEvaluatedOnceAndTheBaselinesGetEverySnapshot() throws Exception {
    ExperimentSpec spec = spec("[2, 4, 8, 16, 32]", ", during_training: {every_mimg: 0.0005, samples: 50}");
    FakeStages stages = stages();
    SweepResult r = start(stages, spec).run(new SweepRequest(SWEEP, spec));
    Map<String, TrialResult> trials = byId(r);
    assertEquals(List.of(0.5, 1.0, 1.5, 2.0, 2.5, 3.0), trials.get("temi-C=8").curve().stream().map(CurvePoint::kimg)
        .toList());
    assertEquals(List.of(99.0, 30.0, 99.0, 25.0, 99.0, 31.0), trials.get("temi-C=8").curve().stream()
        .map(CurvePoint::meanFid).toList(), "snapshots, rungs and the final model in order");
    assertEquals(List.of(0.5, 1.0), trials.get("temi-C=2").curve().stream().map(CurvePoint::kimg).toList());
    assertEquals(List.of(0.5, 1.0, 1.5, 2.0, 2.5, 3.0), trials.get("unconditional").curve().stream()
        .map(CurvePoint::kimg).toList(), "the baseline trains from 0 with every snapshot");
    assertEquals(stages.snapshotted.size(), stages.snapshotted.stream().distinct().count(),
        "no snapshot asked for twice: " + stages.snapshotted);
    assertEquals(List.of("temi-C=2@0.5", "temi-C=2@1.0"), stages.snapshotted.stream()
        .filter(s -> s.startsWith("temi-C=2@")).sorted().toList(), "a point stopped at the first rung trains no further");
  }

  /** Killed (terminated with its trials) as the first point reaches each rung, then submitted again. */
  @ParameterizedTest
  @ValueSource(strings = {"@1.0", "@2.0"})
  void aSweepKilledAtARungContinuesWhereItWas(String rung) throws Exception {
    ExperimentSpec spec = spec("[2, 4, 8, 16, 32]");
    FakeStages stages = stages();
    AtomicBoolean killed = new AtomicBoolean();
    stages.onSnapshot = s -> {
      if (s.endsWith(rung) && killed.compareAndSet(false, true)) {
        temporal.env().getWorkflowClient().newUntypedWorkflowStub(SWEEP).terminate("killed at " + s);
      }
    };
    SweepWorkflow sweep = start(stages, spec);
    WorkflowClient.start(sweep::run, new SweepRequest(SWEEP, spec));
    assertTrue(assertThrowsTerminated(), "the first run was killed");
    int madeBefore = stages.produced.size();
    SweepResult r = stub(spec).run(new SweepRequest(SWEEP, spec));
    assertTheRungDecisions(r, stages);
    assertEquals(9, stages.produced.size(), "no snapshot beyond the uninterrupted run's nine (" + madeBefore
        + " made before the kill)");
  }

  private boolean assertThrowsTerminated() {
    try {
      temporal.env().getWorkflowClient().newUntypedWorkflowStub(SWEEP).getResult(SweepResult.class);
      return false;
    } catch (io.temporal.client.WorkflowFailedException e) {
      return e.getCause() instanceof io.temporal.failure.TerminatedFailure;
    }
  }

  /** A scheduled sweep whose history outgrows its limit continues as new with its legs, waiting points and decisions. */
  @Test
  void aScheduledSweepThatContinuesAsNewKeepsItsRungs() throws Exception {
    ExperimentSpec spec = spec("[2, 4, 8, 16, 32]");
    FakeStages stages = stages().continuingAsNewAfter(40);
    SweepWorkflow sweep = start(stages, spec);
    WorkflowExecution first = WorkflowClient.start(sweep::run, new SweepRequest(SWEEP, spec));
    SweepResult r = temporal.env().getWorkflowClient().newUntypedWorkflowStub(SWEEP).getResult(SweepResult.class);
    assertEquals(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_CONTINUED_AS_NEW,
        temporal.env().getWorkflowClient().fetchHistory(SWEEP, first.getRunId()).getLastEvent().getEventType());
    assertTheRungDecisions(r, stages);
  }

  /** A point added after its rung was decided is held to that rung's cut. */
  @Test
  void aPointAddedLaterMeetsTheCutOfTheRungsAlreadyDecided() throws Exception {
    ExperimentSpec spec = spec("[2, 4, 8]");
    FakeStages stages = stages();
    stages.snapshotFid = (trial, kimg, sets) -> Collections.nCopies(sets, switch (trial) {
      case "temi-C=2" -> 50.0;
      case "temi-C=4" -> 40.0;
      case "temi-C=8" -> kimg < 1.5 ? 30.0 : 25.0;
      case "temi-C=6" -> 41.0;
      default -> 20.0;
    });
    AtomicBoolean signalled = new AtomicBoolean();
    stages.onSnapshot = s -> {
      if (s.equals("temi-C=8@2.0") && signalled.compareAndSet(false, true)) {
        temporal.env().getWorkflowClient().newWorkflowStub(SweepWorkflow.class, SWEEP).addPoints(List.of(6, 3));
      }
    };
    SweepWorkflow sweep = start(stages, spec);
    WorkflowClient.start(sweep::run, new SweepRequest(SWEEP, spec));
    SweepResult r = WorkflowStub.fromTyped(sweep).getResult(SweepResult.class);
    Map<String, TrialResult> trials = byId(r);
    assertEquals(List.of("temi-C=8", "temi-C=4"), r.rungs().get(0).kept().stream()
        .filter(p -> !r.rungs().get(0).late().contains(p)).toList(), "ceil(3 / 2) = 2 at the first rung");
    assertEquals(TrialState.STOPPED, trials.get("temi-C=6").state(), "41 is worse than the cut's 40 with no spread");
    assertTrue(trials.get("temi-C=6").note().contains("against the cut 40.00 +- 0.00 (temi-C=4)"),
        trials.get("temi-C=6").note());
    RungDecision first = r.rungs().get(0);
    assertEquals(Set.of("temi-C=6", "temi-C=3"), Set.copyOf(first.late()),
        "the late points are in the rung's record, in the order their stretches ended");
    assertTrue(first.stopped().contains("temi-C=6") && first.kept().contains("temi-C=3"), first.toString());
    assertEquals(TrialState.DONE, trials.get("temi-C=3").state(), "20 beats every cut, so it runs to the end");
    assertEquals(List.of(1.0, 2.0, 3.0), trials.get("temi-C=3").curve().stream().map(CurvePoint::kimg).toList());
    assertEquals(List.of("temi-C=3", "temi-C=8", "unconditional"), trained(stages));
  }

  /** The histories of a scheduled sweep and of a trial that ran three stretches replay against the code. */
  @Test
  void theRecordedHistoriesReplay() throws Exception {
    ExperimentSpec spec = spec("[2, 4, 8, 16, 32]");
    start(stages(), spec).run(new SweepRequest(SWEEP, spec));
    WorkflowReplayer.replayWorkflowExecution(temporal.env().getWorkflowClient().fetchHistory(SWEEP), SweepWorkflowImpl.class);
    WorkflowReplayer.replayWorkflowExecution(temporal.env().getWorkflowClient().fetchHistory(SWEEP + "/temi-C=8"),
        TrialWorkflowImpl.class);
  }
}
