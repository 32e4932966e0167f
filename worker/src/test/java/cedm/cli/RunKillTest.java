package cedm.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cedm.store.ArtifactStore;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGKILL `cedm run` (embedded server included) in the middle of feature extraction, then run it
 * again: the dataset is reused, extraction resumes after its finished chunks, and every artifact
 * is byte-identical to an uninterrupted run.
 */
class RunKillTest {
  @TempDir Path tmp;

  @Test
  void aKilledRunCompletesOnTheNextRunWithTheSameArtifacts() throws Exception {
    Path spec = tmp.resolve("kill.yaml");
    Files.writeString(spec, """
        name: kill
        dataset: {kind: shapes, count: 6000, resolution: 32}
        features: {extractor: builtin, image_size: 64, dim: 64, chunk_size: 500, batch_size: 100, knn: 10}
        clustering: {temi: {neighbours: 10}}
        search: {enabled: false}
        grid: {points: [4], methods: [kmeans], unconditional: false}
        training: {preset: tiny, duration_mimg: 0.0002, batch_size: 16, checkpoint_kimg: 0.1, tick_kimg: 0.1}
        evaluation: {feature_network: builtin, sets: 1, samples_per_set: 16, batch_size: 16, shard_size: 16, steps: 4}
        """);
    String store = tmp.resolve("store").toString();

    CedmProcess killed = CedmProcess.start("run", spec.toString(), "--store", store);
    killed.awaitLine("features     running", 120);
    Path chunks = tmp.resolve("store/work/features");
    awaitChunks(chunks, 2, 120);
    killed.kill();
    assertFalse(Files.exists(tmp.resolve("store/artifacts/features")), "killed before extraction finished");

    CedmProcess again = CedmProcess.start("run", spec.toString(), "--store", store);
    assertEquals(0, again.waitFor(300), again.output());
    String out = again.output();
    assertTrue(out.contains("dataset      reused"), out);
    assertTrue(out.matches("(?s).*features     done .* resumed after \\d+ finished chunks.*"), out);

    String clean = tmp.resolve("clean").toString();
    CedmProcess uninterrupted = CedmProcess.start("run", spec.toString(), "--store", clean);
    assertEquals(0, uninterrupted.waitFor(300), uninterrupted.output());
    assertEquals(digests(Path.of(clean)), digests(Path.of(store)));
  }

  private static void awaitChunks(Path work, int count, int seconds) throws Exception {
    long deadline = System.nanoTime() + seconds * 1_000_000_000L;
    while (System.nanoTime() < deadline) {
      if (Files.exists(work)) {
        try (var files = Files.walk(work)) {
          if (files.filter(p -> p.getFileName().toString().matches("train-.*\\d\\.npy")).count() >= count) {
            return;
          }
        }
      }
      Thread.sleep(50);
    }
    throw new AssertionError("no " + count + " finished chunks in " + work + " after " + seconds + "s");
  }

  private static String digests(Path store) throws Exception {
    StringBuilder s = new StringBuilder();
    try (var files = Files.walk(store.resolve("artifacts"))) {
      for (Path f : files.filter(p -> p.toString().endsWith(".npy")).sorted().toList()) {
        s.append(store.relativize(f)).append(' ').append(ArtifactStore.sha256(f)).append('\n');
      }
    }
    return s.toString();
  }
}
