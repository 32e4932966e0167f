package cedm.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import cedm.store.ArtifactStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
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
  void aStoreThatIsAFileIsAUserErrorExitTwo() throws Exception {
    Path file = Files.writeString(tmp.resolve("not-a-dir"), "x");
    for (String[] args : new String[][] {{"run", "../specs/demo.yaml"}, {"status", "nope", "--target", "127.0.0.1:1"},
        {"report", "nope"}}) {
      Cli cli = Cli.run(concat(args, "--store", file.toString()));
      assertEquals(2, cli.exitCode(), args[0] + ": " + cli.err());
      assertEquals("cedm: --store: " + file + " is a file, not a directory (allowed: a writable directory, created if missing)",
          cli.err().strip(), args[0]);
    }
  }

  /** As root (CI) the store is made read-only by a read-only bind mount; as another user by its mode. */
  @Test
  void aReadOnlyStoreIsAUserErrorExitTwo() throws Exception {
    Path store = Files.createDirectories(tmp.resolve("ro"));
    boolean root = "root".equals(System.getProperty("user.name"));
    if (root) {
      assumeTrue(new ProcessBuilder("mount", "--bind", store.toString(), store.toString()).start().waitFor() == 0,
          "bind mounts are not allowed here");
      assumeTrue(new ProcessBuilder("mount", "-o", "remount,ro,bind", store.toString()).start().waitFor() == 0,
          "read-only remounts are not allowed here");
    } else {
      Files.setPosixFilePermissions(store, PosixFilePermissions.fromString("r-xr-xr-x"));
    }
    try {
      Cli cli = Cli.run("run", "../specs/demo.yaml", "--store", store.toString());
      assertEquals(2, cli.exitCode(), cli.err());
      assertTrue(cli.err().startsWith("cedm: --store: " + store + " cannot be written (" + store.resolve("artifacts")),
          cli.err());
      assertFalse(cli.err().contains("\tat "), cli.err());
    } finally {
      if (root) {
        new ProcessBuilder("umount", store.toString()).start().waitFor();
      } else {
        Files.setPosixFilePermissions(store, PosixFilePermissions.fromString("rwxr-xr-x"));
      }
    }
  }

  private static String[] concat(String[] args, String... more) {
    String[] all = java.util.Arrays.copyOf(args, args.length + more.length);
    System.arraycopy(more, 0, all, args.length, more.length);
    return all;
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

  /** A sweep small enough for a test: 300 shapes, k-means at C = 4 only, a few training steps, 16 samples. */
  static String smallSpec(String runtime) {
    return """
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
        """ + runtime;
  }

  /**
   * Issue 26: a training on two devices runs on two CPU slots (its replicas), and a run whose
   * devices cannot hold it stops at once with one line, before anything is submitted.
   */
  @Test
  void runTwiceOnTwoCpuSlotsComputesOnceThenReusesEverything() throws Exception {
    Path spec = tmp.resolve("small.yaml");
    Files.writeString(spec, smallSpec("runtime: {gpus_per_trial: 2}\n"));
    String store = tmp.resolve("store").toString();
    Cli tooNarrow = Cli.run("run", spec.toString(), "--store", store, "--gpus", "cpu");
    assertEquals(2, tooNarrow.exitCode(), tooNarrow.out() + tooNarrow.err());
    assertEquals("cedm: " + spec + ": runtime.gpus_per_trial is 2, but --gpus cpu gives this run 1 device(s), so no "
        + "worker would take the trainings; give --gpus 2 devices (CUDA ids, or cpu:2) or set runtime.gpus_per_trial: 1\n",
        tooNarrow.err());
    assertEquals("", tooNarrow.out());
    assertFalse(Files.exists(Path.of(store, "sweeps")), "nothing submitted");

    Cli first = Cli.run("run", spec.toString(), "--store", store, "--gpus", "cpu:2");
    assertEquals(0, first.exitCode(), first.out() + first.err());
    assertTrue(first.out().contains("(computed)"), first.out());
    assertFalse(first.out().contains("(reused)"), first.out());
    String sweep = first.out().lines().filter(l -> l.contains(" as sweep ")).findFirst().orElseThrow().replaceAll(".* as sweep ", "");
    Cli status = Cli.run("status", sweep, "--store", store, "--target", "127.0.0.1:1");
    assertEquals(0, status.exitCode(), status.out() + status.err());
    assertTrue(status.out().startsWith("state: finished (the server at 127.0.0.1:1 does not answer; this is the record "
        + "its run left in the store)\nsweep " + sweep + ": done\n"), status.out());
    assertTrue(status.out().contains("  kmeans-C=4       done"), status.out());
    assertTrue(new ArtifactStore(Path.of(store)).ledger().entries(sweep).stream()
        .anyMatch(e -> e.stage().equals("training") && e.devices() == 2), "the training ran on two CPU slots");
    Path runLog = Path.of(store, "sweeps", sweep, "run.log");
    assertTrue(first.out().contains("cedm: worker log in " + runLog + " (--verbose prints it here)"), first.out());
    assertTrue(Files.readString(runLog).contains("EdmTrainer: each step: 16 images over 2 device(s) [cpu(), cpu()]"),
        Files.readString(runLog));
    Cli second = Cli.run("run", spec.toString(), "--store", store, "--gpus", "cpu:2");
    assertEquals(0, second.exitCode(), second.out() + second.err());
    assertTrue(second.out().contains("every stage was reused from the store, nothing was recomputed"), second.out());
    assertFalse(second.out().contains("(computed)"), second.out());
  }

}
