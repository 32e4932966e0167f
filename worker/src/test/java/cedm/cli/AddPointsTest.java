package cedm.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cedm.runtime.GpuList;
import cedm.runtime.CedmWorker;
import cedm.runtime.ConnectionOptions;
import cedm.runtime.EmbeddedTemporal;
import cedm.runtime.WorkerConfig;
import cedm.store.ArtifactStore;
import io.temporal.client.WorkflowClient;
import io.temporal.serviceclient.WorkflowServiceStubs;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `cedm submit`, `cedm add-points` and `cedm status` against an embedded server and a worker. */
class AddPointsTest {
  @TempDir Path tmp;

  @Test
  void aPointAddedToARunningSweepRunsOnceAndStatusListsTheGrid() throws Exception {
    Path spec = tmp.resolve("grid.yaml");
    Files.writeString(spec, """
        name: grid
        dataset: {kind: shapes, count: 300, resolution: 16}
        features: {extractor: builtin, image_size: 32, knn: 10}
        clustering: {temi: {neighbours: 10}}
        search: {enabled: false}
        grid: {points: [3], methods: [kmeans], unconditional: false}
        training: {preset: tiny, duration_mimg: 0.0002, batch_size: 16, checkpoint_kimg: 0.1, tick_kimg: 0.1}
        evaluation: {feature_network: builtin, sets: 1, samples_per_set: 16, batch_size: 16, shard_size: 16, steps: 4}
        """);
    String store = tmp.resolve("store").toString();
    try (EmbeddedTemporal server = EmbeddedTemporal.start(0)) {
      String target = server.target();
      Cli submitted = Cli.run("submit", spec.toString(), "--target", target, "--store", store);
      assertEquals(0, submitted.exitCode(), submitted.err());
      String sweepId = submitted.out().lines().findFirst().orElseThrow().replace("submitted sweep ", "");
      // No worker yet: the sweep is running but has done nothing, so the new points are certainly new.
      Cli added = Cli.run("add-points", sweepId, "3", "5", "--target", target, "--store", store);
      assertEquals(0, added.exitCode(), added.err());
      assertEquals(2, Cli.run("add-points", sweepId, "1", "--target", target, "--store", store).exitCode());

      WorkflowServiceStubs stubs = ConnectionOptions.plain(target, "default").connect();
      try (CedmWorker worker = new CedmWorker(ConnectionOptions.plain(target, "default").client(stubs),
          new ArtifactStore(Path.of(store)), GpuList.parse("cpu").worker("cedm-cpu", "cedm-gpu", 2)).start()) {
        WorkflowClient client = ConnectionOptions.plain(target, "default").client(stubs);
        client.newUntypedWorkflowStub(sweepId).getResult(Object.class);
      } finally {
        stubs.shutdownNow();
      }
      Cli status = Cli.run("status", sweepId, "--target", target, "--store", store);
      assertEquals(0, status.exitCode(), status.err());
      assertTrue(status.out().contains("state: completed"), status.out());
      // Once in the grid (the device-time table has its own row per point).
      assertEquals(1, status.out().lines().filter(l -> l.trim().startsWith("kmeans-C=3 ") && l.contains(" done ")).count(),
          status.out());
      assertTrue(status.out().lines().anyMatch(l -> l.trim().startsWith("kmeans-C=5 ") && l.contains("done")), status.out());
      assertEquals(1, Cli.run("add-points", sweepId, "7", "--target", target, "--store", store).exitCode(),
          "a finished sweep takes no points");
    }
  }
}
