package cedm.workflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cedm.spec.ExperimentSpec;
import cedm.spec.LoadedSpec;
import cedm.stage.EvaluationRequest;
import cedm.stage.RunLabels;
import cedm.stage.TrainingRequest;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.enums.v1.EventType;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.common.WorkflowExecutionHistory;
import io.temporal.testing.WorkflowReplayer;
import io.temporal.workflow.Workflow;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The sweep after the neighbours: search, grid planning, bounded fan-out, signals, continue-as-new, replay. */
class SweepGridTest {
  @RegisterExtension final TemporalPerTest temporal = new TemporalPerTest();

  /** The grid spec with {@code extra} sections; a runtime section there replaces the default one (a key once). */
  private static LoadedSpec spec(String extra) throws Exception {
    return TestSpecs.parse("grid", "evaluation: {feature_network: builtin}\n"
        + (extra.contains("runtime:") ? "" : "runtime: {parallel_trials: 2}\n") + extra);
  }

  private SweepWorkflow start(FakeStages stages, ExperimentSpec spec) {
    return stages.serve(temporal.env(), spec, "grid-1");
  }

  private static Map<String, TrialResult> byId(SweepResult r) {
    return r.trials().stream().collect(Collectors.toMap(t -> t.point().id(), t -> t));
  }

  @Test
  void searchThenAGridOverTwoToCmaxWithBaselinesAndOneFailedTrial() throws Exception {
    LoadedSpec spec = spec("search: {start: 4, resolution: 2}\ngrid: {count: 3, methods: [temi, kmeans]}\n");
    FakeStages stages = new FakeStages(c -> c <= 16 ? 1.0 : 0.5);
    stages.failFor = "kmeans-C=8";
    SweepResult r = start(stages, spec.spec()).run(new SweepRequest("grid-1", spec.spec()));
    assertEquals(16, r.cmax().cMax());
    assertEquals(List.of(4, 8, 16, 32, 24, 20, 18), r.cmax().evidence().stream().map(Probe::clusters).toList());
    Map<String, TrialResult> trials = byId(r);
    assertEquals(List.of("temi-C=4", "temi-C=8", "temi-C=15", "kmeans-C=4", "kmeans-C=8", "kmeans-C=15",
        "unconditional", "ground-truth"), r.trials().stream().map(t -> t.point().id()).toList());
    assertEquals(TrialState.FAILED, trials.get("kmeans-C=8").state());
    assertTrue(trials.get("kmeans-C=8").note().contains("out of memory at kmeans-C=8"));
    assertEquals(7, r.trials().stream().filter(t -> t.state() == TrialState.DONE).count());
    assertEquals(8, trials.get("ground-truth").point().clusters(), "the dataset's classes");
    assertTrue(trials.get("temi-C=15").note().endsWith("proxy FID 31.00 +- 1.00 (min 30.00) over 2 x 10 samples"),
        trials.get("temi-C=15").note());
    Map<String, TrainingRequest> trained = stages.trained.stream()
        .collect(Collectors.toMap(t -> t.labels().trial(), t -> t));
    assertEquals(7, trained.size(), "every trial but the failed one trains a model");
    assertEquals(TrainingRequest.Conditioning.CLUSTERS, trained.get("temi-C=15").conditioning());
    assertEquals("clu-temi-C=15", trained.get("temi-C=15").clusteringId());
    assertEquals("data1", trained.get("temi-C=15").datasetId());
    assertEquals(TrainingRequest.Conditioning.UNCONDITIONAL, trained.get("unconditional").conditioning());
    assertEquals(TrainingRequest.Conditioning.DATASET_LABELS, trained.get("ground-truth").conditioning());
    assertEquals("edm-temi-C=15", trials.get("temi-C=15").training().artifactId());
    assertEquals(7, stages.evaluated.size(), "every trained model is evaluated");
    assertTrue(stages.evaluated.stream().anyMatch(e -> e.trainingId().equals("edm-temi-C=15")
        && e.datasetId().equals("data1") && e.labels().equals(new RunLabels("grid-1", "temi-C=15", 15))));
    assertEquals(new RunLabels("grid-1", "unconditional", 0), trained.get("unconditional").labels());
    assertEquals(List.of(30.0, 32.0), trials.get("temi-C=15").evaluation().fid());
  }

  /**
   * Evaluation during training: each point trains up to every snapshot, each snapshot is evaluated
   * (one set of during_training.samples) and the final evaluation closes the curve.
   */
  @Test
  void snapshotsAreEvaluatedWhileTrainingRunsAndMakeEachPointsCurve() throws Exception {
    LoadedSpec spec = TestSpecs.parse("curve", """
        search: {enabled: false}
        grid: {points: [4], methods: [temi], ground_truth: false}
        training: {duration_mimg: 0.003, checkpoint_kimg: 1, tick_kimg: 1}
        evaluation: {feature_network: builtin, sets: 2, during_training: {every_mimg: 0.001, samples: 100}}
        """);
    FakeStages stages = new FakeStages(c -> 1.0);
    SweepResult r = start(stages, spec.spec()).run(new SweepRequest("grid-1", spec.spec()));
    assertEquals(List.of("temi-C=4@1.0", "temi-C=4@2.0", "unconditional@1.0", "unconditional@2.0"),
        stages.snapshotted.stream().sorted().toList());
    List<EvaluationRequest> ofSnapshots = stages.evaluated.stream().filter(e -> e.snapshotId() != null).toList();
    assertEquals(4, ofSnapshots.size());
    assertTrue(ofSnapshots.stream().allMatch(e -> e.evaluation().sets() == 1 && e.evaluation().samplesPerSet() == 100
        && e.trainingId().equals("edm-" + e.labels().trial())), ofSnapshots.toString());
    assertEquals(2, stages.evaluated.size() - ofSnapshots.size(), "and each final model, with the spec's sets");
    TrialResult temi = byId(r).get("temi-C=4");
    assertEquals(List.of(1.0, 2.0, 3.0), temi.curve().stream().map(CurvePoint::kimg).toList());
    assertEquals(List.of(60.0, 45.0, 31.0), temi.curve().stream().map(CurvePoint::meanFid).toList());
    assertEquals("eval-snap-temi-C=4@2.0", temi.curve().get(1).evaluationId());
  }

  @Test
  void snapshotsFallEveryEveryMimgBelowTheDuration() {
    assertEquals(List.of(1.0, 2.0), TrialWorkflowImpl.snapshotKimgs(0.001, 0.003));
    assertEquals(List.of(50_000.0, 100_000.0, 150_000.0), TrialWorkflowImpl.snapshotKimgs(50, 200));
    assertEquals(List.of(), TrialWorkflowImpl.snapshotKimgs(0.3, 0.2));
  }

  @Test
  void addedPointsRunOnlyOnce() throws Exception {
    LoadedSpec spec = spec("search: {enabled: false}\ngrid: {points: [4], unconditional: false, ground_truth: false}\n"
        + "runtime: {parallel_trials: 1}\n");
    FakeStages stages = new FakeStages(c -> 1.0);
    stages.clusteringMillis = 1500;
    SweepWorkflow sweep = start(stages, spec.spec());
    WorkflowClient.start(sweep::run, new SweepRequest("grid-1", spec.spec()));
    SweepWorkflow running = temporal.env().getWorkflowClient().newWorkflowStub(SweepWorkflow.class, "grid-1");
    running.addPoints(List.of(4, 6));
    SweepResult r = WorkflowStub.fromTyped(running).getResult(SweepResult.class);
    assertEquals(List.of("temi-C=4", "temi-C=6"), r.trials().stream().map(t -> t.point().id()).toList());
    assertEquals(List.of("temi-C=4", "temi-C=6"), stages.clustered);
  }

  /** A killed run's trial that has not ended yet. */
  public static final class HeldTrial implements TrialWorkflow {
    @Override
    public TrialResult run(TrialRequest request) {
      Workflow.await(() -> false);
      return null;
    }
  }

  /**
   * A trial workflow that a killed run of the sweep still holds (here one that waits forever) keeps
   * the new run's trial from starting: the run waits and starts it once the old one is gone; when
   * it never goes, the point fails naming the workflow to terminate.
   */
  @Test
  void aTrialStillHeldByAKilledRunStartsOnceItIsGoneAndIsNamedWhenItStays() throws Exception {
    LoadedSpec spec = spec("search: {enabled: false}\ngrid: {points: [4, 6], methods: [temi], unconditional: false, "
        + "ground_truth: false}\n");
    temporal.env().newWorker("held").registerWorkflowImplementationTypes(HeldTrial.class);
    SweepWorkflow sweep = start(new FakeStages(c -> 1.0), spec.spec());
    WorkflowStub[] held = new WorkflowStub[2];
    for (int i = 0; i < 2; i++) {
      held[i] = temporal.env().getWorkflowClient().newUntypedWorkflowStub("TrialWorkflow", WorkflowOptions.newBuilder()
          .setWorkflowId("grid-1/temi-C=" + (4 + 2 * i)).setTaskQueue("held").build());
      held[i].start();
    }
    WorkflowClient.start(sweep::run, new SweepRequest("grid-1", spec.spec()));
    long deadline = System.currentTimeMillis() + 30_000;
    while (temporal.env().getWorkflowClient().fetchHistory("grid-1").getEvents().stream()
        .noneMatch(e -> e.getEventType() == EventType.EVENT_TYPE_START_CHILD_WORKFLOW_EXECUTION_FAILED)) {
      assertTrue(System.currentTimeMillis() < deadline, "the sweep never tried to start a held trial");
      Thread.sleep(20);
    }
    held[0].terminate("the killed run's trial is gone");
    SweepResult r = WorkflowStub.fromTyped(sweep).getResult(SweepResult.class);
    Map<String, TrialResult> trials = byId(r);
    assertEquals(TrialState.DONE, trials.get("temi-C=4").state(), trials.get("temi-C=4").note());
    assertEquals(TrialState.FAILED, trials.get("temi-C=6").state());
    assertEquals("the workflow grid-1/temi-C=6 of an earlier run of this sweep was still running after 12 tries 5 s apart; "
        + "terminate it (temporal workflow terminate --workflow-id grid-1/temi-C=6) and resume the sweep",
        trials.get("temi-C=6").note());
  }

  @Test
  void aLongSweepContinuesAsNewAndKeepsEveryTrial() throws Exception {
    LoadedSpec spec = spec("search: {enabled: false}\ngrid: {points: [2, 3, 4, 5, 6, 7], methods: [temi]}\n");
    FakeStages stages = new FakeStages(c -> 1.0).continuingAsNewAfter(40);
    SweepWorkflow sweep = start(stages, spec.spec());
    WorkflowExecution first = WorkflowClient.start(sweep::run, new SweepRequest("grid-1", spec.spec()));
    SweepResult r = temporal.env().getWorkflowClient().newUntypedWorkflowStub("grid-1").getResult(SweepResult.class);
    assertEquals(8, r.trials().size());
    assertTrue(r.trials().stream().allMatch(t -> t.state() == TrialState.DONE));
    String lastRun = temporal.env().getWorkflowClient().newUntypedWorkflowStub("grid-1").getExecution().getRunId();
    WorkflowExecutionHistory history = temporal.env().getWorkflowClient().fetchHistory("grid-1", first.getRunId());
    assertEquals(io.temporal.api.enums.v1.EventType.EVENT_TYPE_WORKFLOW_EXECUTION_CONTINUED_AS_NEW,
        history.getLastEvent().getEventType());
    assertNotEquals(first.getRunId(), lastRun);
    assertEquals(List.of("temi-C=2", "temi-C=3", "temi-C=4", "temi-C=5", "temi-C=6", "temi-C=7"),
        stages.clustered.stream().sorted().toList(), "each point clustered exactly once across the runs");
  }

  /** The recorded history replays against the workflow code: no non-determinism. */
  @Test
  void recordedHistoriesReplay() throws Exception {
    LoadedSpec spec = spec("search: {start: 4, resolution: 2}\ngrid: {count: 2, methods: [temi, kmeans]}\n");
    SweepResult r = start(new FakeStages(c -> c <= 8 ? 1.0 : 0.5), spec.spec()).run(new SweepRequest("grid-1", spec.spec()));
    assertEquals(8, r.cmax().cMax());
    WorkflowReplayer.replayWorkflowExecution(temporal.env().getWorkflowClient().fetchHistory("grid-1"), SweepWorkflowImpl.class);
    WorkflowReplayer.replayWorkflowExecution(temporal.env().getWorkflowClient().fetchHistory("grid-1/cmax"), CmaxSearchWorkflowImpl.class);
    WorkflowReplayer.replayWorkflowExecution(temporal.env().getWorkflowClient().fetchHistory("grid-1/temi-C=4"), TrialWorkflowImpl.class);
  }
}
