package cedm.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cedm.store.ArtifactStore;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SIGKILL `cedm run` (embedded server included) in the middle of a stage, then run it again. */
class RunKillTest {
  @TempDir Path tmp;

  @Test
  void aKilledRunCompletesOnTheNextRunWithTheSameArtifacts() throws Exception {
    Path spec = tmp.resolve("kill.yaml");
    Files.writeString(spec, """
        name: kill
        dataset: {kind: shapes, count: 40000, resolution: 32}
        features: {extractor: builtin}
        evaluation: {feature_network: builtin}
        """);
    String store = tmp.resolve("store").toString();

    CedmProcess killed = CedmProcess.start("run", spec.toString(), "--store", store);
    killed.awaitLine("dataset      running", 60);
    Thread.sleep(500);
    killed.kill();
    assertTrue(Files.list(tmp.resolve("store/artifacts")).findAny().isEmpty()
        || Files.list(tmp.resolve("store/artifacts/dataset")).findAny().isEmpty(), "killed before the stage finished");

    CedmProcess again = CedmProcess.start("run", spec.toString(), "--store", store);
    assertEquals(0, again.waitFor(120), again.output());
    assertTrue(again.output().contains("(computed)"), again.output());

    String clean = tmp.resolve("clean").toString();
    CedmProcess uninterrupted = CedmProcess.start("run", spec.toString(), "--store", clean);
    assertEquals(0, uninterrupted.waitFor(120), uninterrupted.output());
    assertEquals(digests(Path.of(clean)), digests(Path.of(store)));
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
