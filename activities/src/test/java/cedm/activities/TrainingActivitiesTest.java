package cedm.activities;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cedm.edm.NetworkConfig;
import cedm.io.BadInputException;
import cedm.spec.ExperimentSpec;
import cedm.spec.SpecLoader;
import cedm.stage.DatasetArtifact;
import cedm.stage.DatasetRequest;
import cedm.stage.RunLabels;
import cedm.stage.SnapshotArtifact;
import cedm.stage.StageProgress;
import cedm.stage.TrainingActivities;
import cedm.stage.TrainingArtifact;
import cedm.stage.TrainingRequest;
import cedm.stage.TrainingRequest.Conditioning;
import cedm.store.ArtifactStore;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.temporal.activity.ActivityOptions;
import io.temporal.failure.CanceledFailure;
import io.temporal.testing.TestActivityEnvironment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The training activity under Temporal: it heartbeats, stops when cancelled, resumes on the next
 * attempt, and reports both runs in metrics labelled by sweep, stage, trial and C.
 */
class TrainingActivitiesTest {
  @RegisterExtension static final ActivityStubs ACTIVITIES = new ActivityStubs();
  /** Micrometer's global registry keeps values only in the registries added to it. */
  private static final MeterRegistry METRICS = new SimpleMeterRegistry();
  @TempDir Path tmp;

  @BeforeAll
  static void recordMetrics() {
    Metrics.addRegistry(METRICS);
  }

  @AfterAll
  static void stopRecording() {
    Metrics.removeRegistry(METRICS);
  }

  /** A tiny network on 48 shapes, trained for {@code mimg}, with a checkpoint every {@code checkpointKimg}. */
  private ExperimentSpec spec(String mimg, String checkpointKimg) throws Exception {
    return SpecLoader.parse("t.yaml", String.format(java.util.Locale.ROOT, """
        name: t
        dataset: {kind: shapes, count: 48, resolution: 16, groups: 3}
        features: {extractor: builtin}
        training: {preset: tiny, duration_mimg: %s, batch_size: 16, checkpoint_kimg: %s, tick_kimg: 0.032}
        evaluation: {feature_network: builtin}
        """, mimg, checkpointKimg), tmp).spec();
  }

  /**
   * Evaluation during training: training up to snapshots and then to the end gives bit for bit
   * the model of one uninterrupted training; a snapshot is memoised per (training, kimg); a
   * training already past a kimg without a snapshot there answers with none.
   */
  @Test
  void trainingInStretchesToSnapshotsEndsWithTheUninterruptedModel() throws Exception {
    ExperimentSpec spec = spec("0.00016", "0.064");
    ArtifactStore straight = new ArtifactStore(tmp.resolve("straight"));
    ArtifactStore stretched = new ArtifactStore(tmp.resolve("stretched"));
    TrainingArtifact expected = ACTIVITIES.training(straight).train(request(straight, spec));
    TrainingActivities training = ACTIVITIES.training(stretched);
    TrainingRequest request = request(stretched, spec);
    SnapshotArtifact first = training.snapshot(request, 0.05);
    assertEquals(0.064, first.kimg(), 1e-12, "the first step that reaches 0.05 kimg (batches of 16)");
    assertFalse(first.reused());
    assertTrue(training.snapshot(request, 0.05).reused(), "memoised per (training, kimg)");
    SnapshotArtifact second = training.snapshot(request, 0.1);
    TrainingArtifact model = training.train(request);
    assertEquals(expected.artifactId(), model.artifactId());
    assertEquals(first.trainingId(), model.artifactId());
    assertArrayEquals(Files.readAllBytes(straight.artifactDir(Stage.TRAINING.key(expected.artifactId())).resolve(TrainingActivitiesImpl.EMA)),
        Files.readAllBytes(stretched.artifactDir(Stage.TRAINING.key(model.artifactId())).resolve(TrainingActivitiesImpl.EMA)),
        "stopping for snapshots changes nothing");
    assertFalse(java.util.Arrays.equals(Files.readAllBytes(stretched.artifactDir(Stage.SNAPSHOT.key(second.artifactId()))
        .resolve(TrainingActivitiesImpl.EMA)), Files.readAllBytes(stretched.artifactDir(
        Stage.TRAINING.key(model.artifactId())).resolve(TrainingActivitiesImpl.EMA))),
        "a snapshot holds the EMA of its moment, not the end's");
    SnapshotArtifact afterTheFact = ACTIVITIES.training(straight)
        .snapshot(request(straight, spec), 0.05);
    assertArrayEquals(Files.readAllBytes(snapshotEma(stretched, first)), Files.readAllBytes(snapshotEma(straight, afterTheFact)),
        "a finished training (its checkpoints gone) is trained again from the start to the snapshot, bit for bit");

    ArtifactStore late = new ArtifactStore(tmp.resolve("late"));
    TrainingActivities lateTraining = ACTIVITIES.training(late);
    lateTraining.snapshot(request(late, spec), 0.1);
    assertNull(lateTraining.snapshot(request(late, spec), 0.05).artifactId(),
        "an unfinished training already past 0.05 kimg has no snapshot there");
  }

  private static Path snapshotEma(ArtifactStore store, SnapshotArtifact snapshot) {
    return store.artifactDir(Stage.SNAPSHOT.key(snapshot.artifactId())).resolve(TrainingActivitiesImpl.EMA);
  }

  private static TrainingRequest request(ArtifactStore store, ExperimentSpec spec) throws Exception {
    DatasetArtifact dataset = ACTIVITIES.dataset(store).importDataset(new DatasetRequest(spec.dataset(), 0, RunLabels.NONE));
    return new TrainingRequest(dataset.artifactId(), Conditioning.DATASET_LABELS, null, spec.training(), 0,
        new RunLabels("sweep-1", "ground-truth", 0));
  }

  @Test
  void aCancelledTrainingStopsAndTheNextAttemptResumesFromItsCheckpoint() throws Exception {
    ExperimentSpec spec = spec("0.0008", "0.032");
    ArtifactStore store = new ArtifactStore(tmp.resolve("store"));
    DatasetArtifact dataset = ACTIVITIES.dataset(store).importDataset(new DatasetRequest(spec.dataset(), 0, RunLabels.NONE));
    TrainingRequest request = new TrainingRequest(dataset.artifactId(), Conditioning.DATASET_LABELS, null,
        spec.training(), 0, new RunLabels("sweep-1", "ground-truth", 0));

    TestActivityEnvironment first = TestActivityEnvironment.newInstance();
    AtomicInteger ticks = new AtomicInteger();
    first.setActivityHeartbeatListener(StageProgress.class, p -> {
      if (p.detail() != null && ticks.incrementAndGet() == 1) {
        assertTrue(p.detail().matches("loss \\d\\.\\d{4}, .* images/s, \\d+[smhd][0-9smh]* left, checkpoint at 0\\.\\d kimg"),
            p.detail());
        first.requestCancelActivity();
      }
    });
    first.registerActivitiesImplementations(new TrainingActivitiesImpl(store, DevicePool.cpu(1).slot(0)));
    CanceledFailure cancelled = assertThrows(CanceledFailure.class, () -> stub(first).train(request));
    first.close();
    try (Stream<Path> work = Files.walk(store.root())) {
      assertTrue(work.anyMatch(f -> f.getFileName().toString().startsWith("ckpt-")), "checkpoints survive: " + cancelled);
    }

    TestActivityEnvironment second = TestActivityEnvironment.newInstance();
    second.registerActivitiesImplementations(new TrainingActivitiesImpl(store, DevicePool.cpu(1).slot(0)));
    TrainingArtifact model = stub(second).train(request);
    second.close();
    assertTrue(model.resumedAtKimg() > 0 && model.resumedAtKimg() < 0.8, "resumed mid-way: " + model.describe());
    assertEquals(50, model.steps(), model.describe());
    assertEquals(3, model.labelDim(), "the shapes' 3 groups");
    assertEquals(0.8, model.kimg(), 1e-9);

    Tags run = Tags.of("sweep", "sweep-1", "stage", "training", "trial", "ground-truth", "c", "");
    assertEquals(1, METRICS.get("cedm.training.resumes").tags(run).counter().count());
    assertEquals(0.8, METRICS.get("cedm.training.kimg").tags(run).gauge().value(), 1e-9);
    assertEquals(0.8, METRICS.get("cedm.training.checkpoint.kimg").tags(run).gauge().value(), 1e-9);
    assertTrue(METRICS.get("cedm.training.checkpoint.bytes").tags(run).gauge().value() > 100_000, "net, EMA and Adam state");
    double age = System.currentTimeMillis() / 1000.0
        - METRICS.get("cedm.training.checkpoint.timestamp.seconds").tags(run).gauge().value();
    assertTrue(age >= 0 && age < 600, "the newest checkpoint was written just now: " + age);
    double rampedLr = spec.training().lr() * Math.min(1, 0.8 / spec.training().lrRampupKimg());
    assertTrue(METRICS.get("cedm.training.learning.rate").tags(run).gauge().value() <= rampedLr + 1e-12);
    assertEquals(1, METRICS.get("cedm.stage").tags(run).tag("outcome", "cancelled").timer().count());
    assertEquals(1, METRICS.get("cedm.stage").tags(run).tag("outcome", "computed").timer().count());
    assertEquals(1, METRICS.get("cedm.artifacts").tags(run).tag("outcome", "computed").counter().count());
    assertEquals(0, METRICS.get("cedm.stage.active").tags(run).gauge().value(), "not running any more");
    assertEquals(1, METRICS.get("cedm.stage.progress").tags(run).gauge().value());
    assertEquals(0, METRICS.get("cedm.gpu.slot.busy").tag("device", "cpu").gauge().value(), "the slot is free again");
  }

  private static TrainingActivities stub(TestActivityEnvironment env) {
    return env.newActivityStub(TrainingActivities.class, ActivityOptions.newBuilder()
        .setStartToCloseTimeout(Duration.ofMinutes(10)).setHeartbeatTimeout(Duration.ofSeconds(2)).build());
  }

  @Test
  void labelsAreRemappedToTheUsedIdsInOrder() {
    TrainingActivitiesImpl.Labels l = TrainingActivitiesImpl.Labels.remap(new long[] {5, 2, 5, 9, 5});
    assertEquals(3, l.dim());
    assertArrayEquals(new int[] {1, 0, 1, 2, 1}, l.ids());
    assertArrayEquals(new long[] {1, 3, 1}, l.counts());
    TrainingActivitiesImpl.Labels given = TrainingActivitiesImpl.Labels.asGiven(new long[] {0, 3, 3});
    assertEquals(4, given.dim(), "a dataset's labels keep their ids: label_dim = max + 1");
    assertArrayEquals(new long[] {1, 0, 0, 2}, given.counts());
  }

  @Test
  void anArchitectureTheImagesCannotTakeIsAUserErrorNamingTheField() {
    NetworkConfig levels = new NetworkConfig(20, 3, 0, 0, 16, java.util.List.of(1, 2, 2, 2), 4, 1, java.util.List.of(), 0);
    BadInputException e = assertThrows(BadInputException.class, levels::check);
    assertTrue(e.getMessage().startsWith("training.channel_mult: 4 levels"), e.getMessage());
    NetworkConfig groups = new NetworkConfig(16, 3, 0, 0, 13, java.util.List.of(1), 4, 1, java.util.List.of(), 0);
    e = assertThrows(BadInputException.class, groups::check);
    assertTrue(e.getMessage().contains("13 channels"), e.getMessage());
    NetworkConfig concatenated = new NetworkConfig(16, 3, 0, 0, 48, java.util.List.of(1, 2), 4, 1, java.util.List.of(), 0);
    e = assertThrows(BadInputException.class, concatenated::check);
    assertTrue(e.getMessage().contains("144 channels at model.dec."), "the decoder's 96 + 48 inputs: " + e.getMessage());
  }
}
