package cedm.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CliTest {
  @TempDir Path tmp;

  @Test
  void aBrokenSpecIsAnsweredWithLocatedLinesExitTwoAndNoStackTrace() throws Exception {
    Path spec = tmp.resolve("bad.yaml");
    Files.writeString(spec, "name: x\ndataset:\n  kind: shapes\nclustering:\n  temi:\n    beta: 2\nsearch:\n  alpha: 0\n");
    for (String command : new String[] {"validate", "run", "submit"}) {
      Cli cli = command.equals("validate") ? Cli.run(command, spec.toString())
          : Cli.run(command, spec.toString(), "--store", tmp.resolve("store").toString());
      assertEquals(2, cli.exitCode(), command);
      assertTrue(cli.err().contains(spec + ":6:11: clustering.temi.beta: out of range: 2 (integer) (allowed: number > 0.5 and <= 1)"), cli.err());
      assertTrue(cli.err().contains(spec + ":8:10: search.alpha: out of range: 0 (integer) (allowed: number > 0 and < 1)"), cli.err());
      assertFalse(cli.err().contains("Exception"), cli.err());
      assertFalse(cli.err().contains("\tat "), cli.err());
    }
  }

  @Test
  void validateAcceptsTheDemo() {
    Cli cli = Cli.run("validate", "../specs/demo.yaml");
    assertEquals(0, cli.exitCode(), cli.err());
    assertTrue(cli.out().contains("OK, sweep id demo-"), cli.out());
  }

  @Test
  void statusWithoutAServerSaysHowToStartOne() {
    Cli cli = Cli.run("status", "nope", "--target", "127.0.0.1:1", "--store", tmp.toString());
    assertEquals(3, cli.exitCode());
    assertTrue(cli.err().startsWith("cedm: cannot reach Temporal at 127.0.0.1:1 (start one with `cedm server`"), cli.err());
  }

  @Test
  void runTwiceComputesOnceThenReusesEverything() throws Exception {
    Path spec = tmp.resolve("small.yaml");
    Files.writeString(spec, """
        name: small
        dataset:
          kind: shapes
          count: 300
          resolution: 16
        features:
          extractor: builtin
          image_size: 32
          knn: 10
        clustering:
          temi: {neighbours: 10}
        search:
          enabled: false
        grid:
          points: [4]
          methods: [kmeans]
        training: {preset: tiny, duration_mimg: 0.0002, batch_size: 16, checkpoint_kimg: 0.1, tick_kimg: 0.1}
        evaluation: {feature_network: builtin, sets: 1, samples_per_set: 16, batch_size: 16, shard_size: 16, steps: 4}
        """);
    String store = tmp.resolve("store").toString();
    Cli first = Cli.run("run", spec.toString(), "--store", store);
    assertEquals(0, first.exitCode(), first.out() + first.err());
    assertTrue(first.out().contains("(computed)"), first.out());
    assertFalse(first.out().contains("(reused)"), first.out());
    Cli second = Cli.run("run", spec.toString(), "--store", store);
    assertEquals(0, second.exitCode(), second.out() + second.err());
    assertTrue(second.out().contains("every stage was reused from the store, nothing was recomputed"), second.out());
    assertFalse(second.out().contains("(computed)"), second.out());
  }

}
