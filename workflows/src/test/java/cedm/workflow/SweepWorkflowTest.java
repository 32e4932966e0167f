package cedm.workflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cedm.spec.ExperimentSpec;
import cedm.spec.LoadedSpec;
import cedm.spec.RuntimeSpec;
import cedm.spec.SpecLoader;
import cedm.stage.ClusteringActivities;
import cedm.stage.ClusteringArtifact;
import cedm.stage.DatasetActivities;
import cedm.stage.DatasetArtifact;
import cedm.stage.EvaluationActivities;
import cedm.stage.EvaluationArtifact;
import cedm.stage.Failures;
import cedm.stage.FeatureActivities;
import cedm.stage.FeaturesArtifact;
import cedm.stage.KnnActivities;
import cedm.stage.KnnArtifact;
import cedm.stage.SnapshotArtifact;
import cedm.stage.TrainingActivities;
import cedm.stage.TrainingArtifact;
import cedm.stage.TrainingRequest;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.failure.ApplicationFailure;
import io.temporal.worker.Worker;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class SweepWorkflowTest {
  @RegisterExtension final TemporalPerTest temporal = new TemporalPerTest();
  private LoadedSpec spec;

  @BeforeEach
  void setUp() throws Exception {
    spec = SpecLoader.load(Path.of("..", "specs", "demo.yaml"));
  }

  /** Fakes of the later stages that check they get their predecessor's artifact. */
  private static final FeatureActivities FEATURES = request -> {
    assertEquals("abc123", request.datasetId());
    return new FeaturesArtifact("feat1", false, 2000, 128, 200, "builtin", 0);
  };
  private static final KnnActivities KNN = request -> {
    assertEquals("feat1", request.featuresId());
    return new KnnArtifact("knn1", true, 2000, request.m(), 0.9);
  };

  /** Every C up to 16 fully used, beyond half: C_max = 16 on the demo's search settings. */
  private static final ClusteringActivities CLUSTERING = request -> new ClusteringArtifact("c" + request.clusters(),
      false, request.method(), request.clusters(), request.clusters(), request.clusters() <= 16 ? 1.0 : 0.5, 0, List.of(),
      -1, 0, null);

  /** The demo's spec evaluates during training: snapshots are faked as its trainings are. */
  private static final TrainingActivities TRAINING = new TrainingActivities() {
    @Override
    public TrainingArtifact train(TrainingRequest request) {
      return new TrainingArtifact("edm-" + request.labels().trial(), false, request.labels().trial(), 0, 1, 1, 1, 1, 0);
    }

    @Override
    public SnapshotArtifact snapshot(TrainingRequest request, double kimg) {
      return new SnapshotArtifact("snap-" + kimg, false, request.labels().trial(), kimg, "edm-" + request.labels().trial());
    }
  };

  private static final EvaluationActivities EVALUATION = request -> new EvaluationArtifact("eval-" + request.labels().trial(),
      false, request.labels().trial(), true, 1, Map.of("fid", List.of(1.0)));

  private SweepWorkflow start(DatasetActivities datasets) {
    Worker cpu = temporal.env().newWorker(spec.spec().runtime().cpuQueue());
    cpu.registerWorkflowImplementationTypes(SweepWorkflowImpl.class, CmaxSearchWorkflowImpl.class, TrialWorkflowImpl.class);
    cpu.registerActivitiesImplementations(datasets, KNN);
    temporal.env().newWorker(spec.spec().runtime().gpuQueue()).registerActivitiesImplementations(FEATURES, CLUSTERING, TRAINING, EVALUATION);
    temporal.env().start();
    return temporal.env().getWorkflowClient().newWorkflowStub(SweepWorkflow.class,
        WorkflowOptions.newBuilder().setWorkflowId(spec.sweepId()).setTaskQueue(spec.spec().runtime().cpuQueue()).build());
  }

  @Test
  void runsTheStagesInOrderPassingArtifactIds() {
    DatasetArtifact imported = new DatasetArtifact("abc123", false, 2000, 32, 32, true, 8, 200, "d1");
    SweepWorkflow sweep = start(request -> {
      assertEquals(spec.spec().dataset(), request.dataset());
      assertEquals(spec.spec().seed(), request.seed());
      return imported;
    });
    SweepResult result = sweep.run(new SweepRequest(spec.sweepId(), spec.spec()));
    assertEquals(imported, result.dataset());
    StageReport dataset = result.stages().get(0);
    assertEquals(StageState.DONE, dataset.state());
    assertEquals("abc123", dataset.artifactId());
    assertEquals("2000 images 32x32, 8 classes, 200 test images", dataset.summary());
    assertEquals(List.of("dataset", "features", "knn", "search"), result.stages().stream().map(StageReport::stage).toList());
    assertEquals(16, result.cmax().cMax());
    assertEquals("knn1", result.knn().artifactId());
    assertEquals(spec.spec().features().knn(), result.knn().m());
    assertTrue(result.stages().get(2).reused());
    SweepStatus status = temporal.env().getWorkflowClient().newWorkflowStub(SweepWorkflow.class, spec.sweepId()).status();
    assertEquals(SweepPhase.DONE, status.phase());
  }

  @Test
  void badInputFailsTheSweepAtOnceWithTheMessage() {
    AtomicInteger attempts = new AtomicInteger();
    SweepWorkflow sweep = start(request -> {
      attempts.incrementAndGet();
      throw ApplicationFailure.newNonRetryableFailure("/data/x.bin: truncated", Failures.INVALID_INPUT);
    });
    WorkflowFailedException e = assertThrows(WorkflowFailedException.class,
        () -> sweep.run(new SweepRequest(spec.sweepId(), spec.spec())));
    assertTrue(e.getCause().getMessage().contains("stage dataset failed: /data/x.bin: truncated"), e.getCause().getMessage());
    assertEquals(1, attempts.get());
    SweepStatus status = temporal.env().getWorkflowClient().newWorkflowStub(SweepWorkflow.class, spec.sweepId()).status();
    assertEquals(StageState.FAILED, status.stages().get(0).state());
    assertEquals(SweepPhase.FAILED, status.phase());
    assertEquals("failed in dataset", status.describePhase());
  }

  @Test
  void transientFailuresAreRetried() {
    AtomicInteger attempts = new AtomicInteger();
    SweepWorkflow sweep = start(request -> {
      if (attempts.incrementAndGet() < 3) {
        throw new IllegalStateException("worker hiccup");
      }
      return new DatasetArtifact("abc123", false, 1, 8, 8, false, 0, 0, "d");
    });
    WorkflowClient.start(sweep::run, new SweepRequest(spec.sweepId(), spec.spec()));
    SweepResult result = temporal.env().getWorkflowClient().newUntypedWorkflowStub(spec.sweepId()).getResult(SweepResult.class);
    assertEquals(3, attempts.get());
    assertEquals("abc123", result.dataset().artifactId());
  }

  @Test
  void nanValuesAndArraysTooLargeAreNeverRetried() throws Exception {
    for (String type : List.of(Failures.NON_FINITE, Failures.TOO_LARGE)) {
      temporal.restart();
      AtomicInteger attempts = new AtomicInteger();
      SweepWorkflow sweep = start(request -> {
        attempts.incrementAndGet();
        throw ApplicationFailure.newFailure("features hold NaN", type);
      });
      WorkflowFailedException e = assertThrows(WorkflowFailedException.class,
          () -> sweep.run(new SweepRequest(spec.sweepId(), spec.spec())));
      assertEquals("stage dataset failed: features hold NaN", ((ApplicationFailure) e.getCause()).getOriginalMessage());
      assertEquals(1, attempts.get(), type);
    }
  }

  @Test
  void aFailureThatKeepsComingBackEndsTheSweepAfterMaxAttemptsNamingIt() {
    ExperimentSpec s = spec.spec();
    RuntimeSpec r = s.runtime();
    ExperimentSpec threeAttempts = new ExperimentSpec(s.name(), s.description(), s.seed(), s.dataset(), s.features(),
        s.clustering(), s.search(), s.grid(), s.training(), s.evaluation(),
        new RuntimeSpec(r.cpuQueue(), r.gpuQueue(), r.parallelTrials(), r.gpusPerTrial(), r.heartbeatTimeoutS(), 3));
    AtomicInteger attempts = new AtomicInteger();
    SweepWorkflow sweep = start(request -> {
      attempts.incrementAndGet();
      throw ApplicationFailure.newFailure("/store/x.tmp: No space left on device", "java.io.IOException");
    });
    WorkflowFailedException e = assertThrows(WorkflowFailedException.class,
        () -> sweep.run(new SweepRequest(spec.sweepId(), threeAttempts)));
    assertEquals(3, attempts.get());
    assertEquals("stage dataset failed: /store/x.tmp: No space left on device (all 3 attempts failed; runtime.max_attempts)",
        ((ApplicationFailure) e.getCause()).getOriginalMessage());
    SweepStatus status = temporal.env().getWorkflowClient().newWorkflowStub(SweepWorkflow.class, spec.sweepId()).status();
    assertEquals(StageState.FAILED, status.stages().get(0).state());
  }
}
