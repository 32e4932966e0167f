package cedm.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cedm.runtime.ConnectionOptions;
import cedm.runtime.SweepClient;
import cedm.runtime.SweepRecords;
import cedm.spec.LoadedSpec;
import cedm.spec.SpecLoader;
import cedm.store.ArtifactStore;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.temporal.serviceclient.WorkflowServiceStubs;
import java.net.ServerSocket;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Process-level faults on a real embedded server with real worker processes: SIGKILL the worker
 * in each stage (features, kNN, TEMI, EDM training, evaluation), with the newest training
 * checkpoint truncated after the kill, then corrupt a finished artifact and resume. The sweep
 * finishes every time and its artifacts are identical to an uninterrupted run's. Prints a summary
 * line: faults injected, runs recovered, artifacts compared, mismatches.
 */
@Timeout(value = 30, unit = TimeUnit.MINUTES)
class FaultSuiteTest {
  private static final String SPEC = """
      name: faults
      dataset: {kind: shapes, count: 24000, resolution: 16}
      features: {extractor: builtin, image_size: 32, dim: 64, chunk_size: 2000, batch_size: 200, knn: 50}
      clustering: {method: temi, temi: {heads: 4, neighbours: 50, epochs: 4, warmup_epochs: 1, batch_size: 512, checkpoint_epochs: 1}}
      search: {enabled: false}
      grid: {points: [4], methods: [temi], unconditional: false, ground_truth: false}
      training: {preset: tiny, duration_mimg: 0.0016, batch_size: 16, checkpoint_kimg: 0.16, tick_kimg: 0.16}
      evaluation: {feature_network: builtin, sets: 2, samples_per_set: 48, batch_size: 16, shard_size: 16, steps: 8}
      runtime: {heartbeat_timeout_s: 10}
      """;
  /** The stages a worker is killed in, in the sweep's order. */
  private static final List<String> STAGES = List.of("features", "knn", "clustering", "training", "evaluation");
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path tmp;
  private int faults;
  private int recovered;
  private int compared;
  private final List<String> mismatches = new ArrayList<>();

  @Test
  void killedWorkersAndCorruptFilesLoseNothing() throws Exception {
    Path spec = tmp.resolve("faults.yaml");
    Files.writeString(spec, SPEC);
    Path reference = tmp.resolve("reference");
    Cli clean = Cli.run("run", spec.toString(), "--store", reference.toString(), "--metrics", "none");
    assertEquals(0, clean.exitCode(), clean.out() + clean.err());

    Path store = tmp.resolve("store");
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    String target = "127.0.0.1:" + port;
    CedmProcess server = CedmProcess.start("server", "--port", Integer.toString(port));
    List<CedmProcess> workers = new ArrayList<>();
    try {
      server.awaitLine("listening on", 60);
      workers.add(worker(target, store));
      ConnectionOptions options = ConnectionOptions.plain(target, "default");
      WorkflowServiceStubs stubs = options.connect();
      try {
        SweepClient sweeps = new SweepClient(options.client(stubs), new SweepRecords(new ArtifactStore(store)));
        LoadedSpec loaded = SpecLoader.load(spec);
        String sweep = sweeps.submit(loaded).sweepId();
        for (String stage : STAGES) {
          awaitStarted(sweeps, sweep, stage, store);
          CedmProcess victim = workers.get(workers.size() - 1);
          victim.kill();
          faults++;
          assertFalse(hasArtifact(store, stage), "the worker was killed before " + stage + " finished");
          if (stage.equals("training")) {
            truncateNewestCheckpoint(store);
            faults++;
          }
          workers.add(worker(target, store));
        }
        sweeps.result(sweep);
        recovered++;
        String trainingLog = workers.get(STAGES.indexOf("training") + 1).output();
        assertTrue(trainingLog.contains("is invalid") && trainingLog.contains("falling back to the previous one"),
            "the truncated checkpoint is reported:\n" + trainingLog);
        assertTrue(trainingLog.contains("resuming EDM training at"), trainingLog);
        compareStores(reference, store);

        Path knn = artifactFiles(store, "knn").get(0);
        flipByte(knn);
        faults++;
        sweeps.resume(sweep);
        sweeps.result(sweep);
        recovered++;
        String resumedLog = workers.get(workers.size() - 1).output();
        assertTrue(resumedLog.contains("failed verification"), "the corrupt artifact is reported:\n" + resumedLog);
        compareStores(reference, store);
      } finally {
        stubs.shutdownNow();
      }
    } finally {
      for (CedmProcess w : workers) {
        w.kill();
      }
      server.kill();
      System.out.printf("fault suite: %d faults injected, %d runs recovered, %d artifacts compared, %d mismatches%n",
          faults, recovered, compared, mismatches.size());
    }
    assertEquals(List.of(), mismatches);
  }

  private static CedmProcess worker(String target, Path store) throws Exception {
    CedmProcess w = CedmProcess.start("worker", "--target", target, "--store", store.toString(), "--metrics", "none");
    w.awaitLine("cedm: worker on", 60);
    return w;
  }

  /** Waits until a worker runs {@code stage}; for training, until two checkpoints exist. */
  private static void awaitStarted(SweepClient sweeps, String sweep, String stage, Path store) throws Exception {
    long deadline = System.nanoTime() + 300_000_000_000L;
    while (System.nanoTime() < deadline) {
      if (hasArtifact(store, stage)) {
        throw new AssertionError(stage + " finished before it was seen running: make it longer in the test's spec");
      }
      boolean running = sweeps.running(sweep).stream().anyMatch(r -> r.started() && r.activityType().equals(stage));
      if (running && (!stage.equals("training") || checkpoints(store).size() >= 2)) {
        return;
      }
      Thread.sleep(20);
    }
    throw new AssertionError("stage " + stage + " never ran");
  }

  private static List<Path> checkpoints(Path store) throws Exception {
    Path work = store.resolve("work").resolve("training");
    if (!Files.isDirectory(work)) {
      return List.of();
    }
    try (Stream<Path> all = Files.walk(work)) {
      return all.filter(p -> p.getFileName().toString().startsWith("ckpt-") && Files.isDirectory(p)).sorted().toList();
    }
  }

  private static void truncateNewestCheckpoint(Path store) throws Exception {
    List<Path> all = checkpoints(store);
    Path net = all.get(all.size() - 1).resolve("net.safetensors");
    try (FileChannel f = FileChannel.open(net, StandardOpenOption.WRITE)) {
      f.truncate(f.size() / 2);
    }
  }

  private static void flipByte(Path file) throws Exception {
    byte[] bytes = Files.readAllBytes(file);
    bytes[bytes.length - 1] ^= 0x5a;
    Files.write(file, bytes);
  }

  private static boolean hasArtifact(Path store, String stage) throws Exception {
    Path dir = store.resolve("artifacts").resolve(stage);
    if (!Files.isDirectory(dir)) {
      return false;
    }
    try (Stream<Path> ids = Files.list(dir)) {
      return ids.anyMatch(d -> Files.exists(d.resolve("manifest.json")));
    }
  }

  private static List<Path> artifactFiles(Path store, String stage) throws Exception {
    try (Stream<Path> all = Files.walk(store.resolve("artifacts").resolve(stage))) {
      return all.filter(p -> p.toString().endsWith(".npy")).sorted().toList();
    }
  }

  /**
   * Every artifact of the reference run exists with the same files, byte for byte (sha256 in the
   * manifests); scores in the metadata agree to 1e-9 (float64 products may round differently).
   */
  private void compareStores(Path reference, Path store) throws Exception {
    List<Path> manifests;
    try (Stream<Path> all = Files.walk(reference.resolve("artifacts"))) {
      manifests = all.filter(p -> p.getFileName().toString().equals("manifest.json")).sorted().toList();
    }
    for (Path m : manifests) {
      Path twin = store.resolve(reference.relativize(m));
      compared++;
      if (!Files.exists(twin)) {
        mismatches.add(reference.relativize(m.getParent()) + ": missing");
        continue;
      }
      JsonNode a = JSON.readTree(m.toFile());
      JsonNode b = JSON.readTree(twin.toFile());
      if (!a.get("files").equals(b.get("files"))) {
        mismatches.add(reference.relativize(m.getParent()) + ": files differ");
      }
      for (String score : List.of("fid", "fdd")) {
        JsonNode x = a.at("/meta/" + score);
        JsonNode y = b.at("/meta/" + score);
        for (int i = 0; i < x.size(); i++) {
          if (Math.abs(x.get(i).asDouble() - y.get(i).asDouble()) > 1e-9 * Math.abs(x.get(i).asDouble())) {
            mismatches.add(reference.relativize(m.getParent()) + ": " + score + " " + x.get(i) + " vs " + y.get(i));
          }
        }
      }
    }
  }
}
