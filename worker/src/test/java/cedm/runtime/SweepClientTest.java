package cedm.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cedm.spec.LoadedSpec;
import cedm.spec.SpecLoader;
import cedm.stage.TrainingArtifact;
import cedm.store.ArtifactStore;
import cedm.workflow.StageReport;
import cedm.workflow.SweepResult;
import cedm.workflow.TrialState;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Submission semantics on a real embedded server: one sweep per spec, resume after the end, its state as metrics. */
class SweepClientTest {
  @TempDir Path tmp;

  @Test
  void theSameSpecSubmittedTwiceAtOnceIsOneSweepAndResumeReusesTheStore() throws Exception {
    LoadedSpec spec = SpecLoader.parse("s.yaml", """
        name: twice
        dataset: {kind: shapes, count: 64, resolution: 8}
        features: {extractor: builtin, image_size: 32, knn: 10}
        clustering: {temi: {neighbours: 10}}
        search: {enabled: false}
        grid: {points: [3], methods: [kmeans]}
        training: {preset: tiny, duration_mimg: 0.0002, batch_size: 16, checkpoint_kimg: 0.1, tick_kimg: 0.1}
        evaluation: {feature_network: builtin, sets: 1, samples_per_set: 16, batch_size: 16, shard_size: 16, steps: 4}
        """, tmp);
    ArtifactStore store = new ArtifactStore(tmp.resolve("store"));
    try (LocalSweeps local = LocalSweeps.start(store)) {
      SweepClient sweeps = local.sweeps();
      // No worker yet: the sweep stays running while both submissions arrive.
      CompletableFuture<SweepClient.Submission> a = CompletableFuture.supplyAsync(() -> submit(sweeps, spec));
      CompletableFuture<SweepClient.Submission> b = CompletableFuture.supplyAsync(() -> submit(sweeps, spec));
      assertEquals(a.get().runId(), b.get().runId());
      SweepClient.Submission third = sweeps.submit(spec);
      assertTrue(third.attached());
      assertEquals(a.get().runId(), third.runId());

      try (CedmWorker worker = local.worker(GpuList.parse("cpu").worker("cedm-cpu", "cedm-gpu", 2))) {
        SweepResult first = sweeps.result(spec.sweepId());
        assertFalse(first.stages().get(0).reused());
        SweepClient.Submission again = sweeps.resume(spec.sweepId());
        assertFalse(again.attached());
        assertNotEquals(a.get().runId(), again.runId());
        SweepResult second = sweeps.result(spec.sweepId());
        assertTrue(second.stages().get(0).reused());
        assertEquals(first.dataset().artifactId(), second.dataset().artifactId());
        assertEquals(List.of(), sweeps.running(spec.sweepId()));
        assertSweepMetrics(sweeps, store, spec.sweepId(), second);
      }
    }
  }

  @Test
  void twoSweepsOverOneDatasetAtOnceComputeTheSharedStagesOnce() throws Exception {
    String shared = """
        dataset: {kind: shapes, count: 64, resolution: 8}
        features: {extractor: builtin, image_size: 32, knn: 10}
        clustering: {temi: {neighbours: 10}}
        search: {enabled: false}
        evaluation: {feature_network: builtin, sets: 1, samples_per_set: 16, batch_size: 16, shard_size: 16, steps: 4}
        """;
    // Sweep a trains each point on two devices: its trainings go to the queue of width 2, and the
    // workers' two CPU slots run the replicas (issue 16's multi-device path, on the CPU).
    LoadedSpec a = SpecLoader.parse("a.yaml", "name: a\ngrid: {points: [3], methods: [kmeans], unconditional: false}\n"
        + "runtime: {gpus_per_trial: 2}\n"
        + "training: {preset: tiny, duration_mimg: 0.000192, batch_size: 16, batch_gpu: 4, checkpoint_kimg: 0.1}\n"
        + shared, tmp);
    LoadedSpec b = SpecLoader.parse("b.yaml", "name: b\ngrid: {points: [4], methods: [kmeans], unconditional: false}\n"
        + "training: {preset: tiny, duration_mimg: 0.0002, batch_size: 16, checkpoint_kimg: 0.1, tick_kimg: 0.1}\n"
        + shared, tmp);
    ArtifactStore store = new ArtifactStore(tmp.resolve("store"));
    try (LocalSweeps local = LocalSweeps.start(store)) {
      SweepClient sweeps = local.sweeps();
      sweeps.submit(a);
      sweeps.submit(b);
      // Two workers, so the two sweeps' shared stages really run at the same time.
      WorkerConfig config = new WorkerConfig("cedm-cpu", "cedm-gpu", 2, List.of(), 2);
      try (CedmWorker one = local.worker(config); CedmWorker two = local.worker(config)) {
        SweepResult first = sweeps.result(a.sweepId());
        SweepResult second = sweeps.result(b.sweepId());
        for (int i = 0; i < 3; i++) {
          StageReport x = first.stages().get(i);
          StageReport y = second.stages().get(i);
          assertEquals(x.artifactId(), y.artifactId(), x.stage());
          assertNotEquals(x.reused(), y.reused(), x.stage() + " is computed by one sweep and reused by the other");
        }
        assertEquals(List.of("dataset", "features", "knn"), first.stages().subList(0, 3).stream().map(StageReport::stage)
            .toList());
        TrainingArtifact twoReplicas = first.trials().get(0).training();
        assertEquals(TrialState.DONE, first.trials().get(0).state());
        assertEquals(12, twoReplicas.steps(), "192 images in steps of 16, each over 2 replicas in 2 rounds of 4");
        assertFalse(twoReplicas.reused());
      }
    }
  }

  /** The sweep's state as gauges, read from the finished workflow. */
  private static void assertSweepMetrics(SweepClient sweeps, ArtifactStore store, String id, SweepResult result) {
    SimpleMeterRegistry metrics = new SimpleMeterRegistry();
    Metrics.addRegistry(metrics);
    try {
      new SweepMetrics(sweeps, new SweepRecords(store), store).refresh();
      assertEquals(1, metrics.get("cedm.sweep.state").tags("sweep", id, "state", "completed").gauge().value());
      assertEquals(0, metrics.get("cedm.sweep.state").tags("sweep", id, "state", "running").gauge().value());
      assertEquals(result.trials().size(), metrics.get("cedm.sweep.trials").tags("sweep", id, "state", "done").gauge()
          .value());
      assertEquals(3, result.trials().size(), "kmeans C=3 and the two baselines");
      assertEquals(1, metrics.get("cedm.sweep.trial.state").tags("sweep", id, "trial", "kmeans-C=3", "c", "3",
          "state", "done").gauge().value());
      assertEquals(1, metrics.get("cedm.sweep.stage.state").tags("sweep", id, "stage", "knn", "state", "done").gauge()
          .value());
      assertTrue(metrics.find("cedm.sweep.cmax").gauges().isEmpty(), "no search, no C_max");
    } finally {
      Metrics.removeRegistry(metrics);
    }
  }

  private static SweepClient.Submission submit(SweepClient sweeps, LoadedSpec spec) {
    try {
      return sweeps.submit(spec);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
