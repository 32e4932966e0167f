package cedm.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The main job, end to end: `cedm run specs/demo.yaml` on an embedded server with a worker. */
class DemoRunTest {
  @TempDir Path tmp;

  @Test
  void theDemoFindsCmaxAndRunsItsGrid() {
    Cli run = Cli.run("run", Path.of("..", "specs", "demo.yaml").toString(), "--store", tmp.toString());
    String out = run.out();
    assertEquals(0, run.exitCode(), out + run.err());
    assertTrue(out.contains("builtin random CNN (NOT pre-trained)"), out);
    assertTrue(out.matches("(?s).*C_max search: C_max = \\d+.*"), out);
    long temi = out.lines().filter(l -> l.matches("  temi-C=\\d+ +done .*")).count();
    long kmeans = out.lines().filter(l -> l.matches("  kmeans-C=\\d+ +done .*")).count();
    assertTrue(temi >= 2 && temi == kmeans, "every grid value with both methods:\n" + out);
    assertTrue(out.lines().noneMatch(l -> l.matches("  \\S+ +failed .*")), out);
    assertTrue(out.lines().anyMatch(l -> l.matches("  unconditional +done .*")), out);
    assertTrue(out.lines().anyMatch(l -> l.matches("  ground-truth +done .*EDM ground-truth: 8 labels.*")), out);
    assertTrue(out.lines().anyMatch(l -> l.matches("  unconditional +done .*EDM unconditional: 0 labels.*")), out);
    assertEquals(temi + kmeans + 2, out.lines().filter(l -> l.matches("  \\S+ +done .*EDM .*3\\.0 kimg in 94 steps.*")).count(),
        "every trial trains a tiny model for the spec's 3 kimg:\n" + out);
    assertTrue(out.contains("scores (proxy"), out);
    assertEquals(temi + kmeans + 2, out.lines().filter(l -> l.matches("  \\S+ +\\d+\\.\\d\\d \\+- +\\d+\\.\\d\\d +\\d+\\.\\d\\d.*"))
        .count(), "a proxy FID row (mean +- std over 3 sets, min) per trial:\n" + out);
  }
}
