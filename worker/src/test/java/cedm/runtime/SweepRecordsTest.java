package cedm.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import cedm.spec.LoadedSpec;
import cedm.spec.SpecLoader;
import cedm.store.ArtifactStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SweepRecordsTest {
  private static final Path DEMO = Path.of("..", "specs", "demo.yaml");
  @TempDir Path tmp;

  /** A resubmitted sweep replaces its records, and the atomic rewrites leave no temporary file. */
  @Test
  void savingAgainReplacesTheRecordsAndLeavesNothingElse() throws Exception {
    ArtifactStore store = new ArtifactStore(tmp.resolve("store"));
    SweepRecords records = new SweepRecords(store);
    records.save("s1", SpecLoader.load(DEMO));
    LoadedSpec renamed = SpecLoader.parse("renamed.yaml",
        Files.readString(DEMO).replaceFirst("(?m)^name: demo$", "name: renamed"), DEMO.getParent());
    records.save("s1", renamed);
    assertEquals("renamed", records.load("s1").name());
    try (Stream<Path> files = Files.list(store.sweepPath("s1"))) {
      assertEquals(List.of("spec.json", "spec.yaml"), files.map(f -> f.getFileName().toString()).sorted().toList());
    }
  }
}
