package cedm.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cedm.runtime.GpuList;
import cedm.runtime.CedmWorker;
import cedm.runtime.ConnectionOptions;
import cedm.runtime.LocalSweeps;
import cedm.runtime.SweepClient;
import cedm.runtime.SweepRecords;
import cedm.runtime.WorkerConfig;
import cedm.spec.LoadedSpec;
import cedm.spec.SpecLoader;
import cedm.store.ArtifactStore;
import io.temporal.client.WorkflowFailedException;
import io.temporal.serviceclient.WorkflowServiceStubs;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Process-level faults on real processes and a real embedded server, each checked against one
 * uninterrupted run of the same spec: SIGKILL a worker in every stage (truncating the newest
 * training checkpoint on the way), corrupt a finished artifact, kill one of two workers in
 * training, kill the whole `cedm run` in training; and a corpus of bad inputs. Prints the summary
 * line: faults injected, runs recovered, artifacts compared, mismatches.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 20, unit = TimeUnit.MINUTES)
class FaultSuiteTest {
  private static final String SPEC = """
      name: faults
      dataset: {kind: shapes, count: 24000, resolution: 16}
      features: {extractor: builtin, image_size: 32, dim: 64, chunk_size: 2000, batch_size: 200, knn: 50}
      clustering: {method: temi, temi: {heads: 4, neighbours: 50, epochs: 3, warmup_epochs: 1, batch_size: 512, checkpoint_epochs: 1}}
      search: {enabled: false}
      grid: {points: [4], methods: [temi], unconditional: false, ground_truth: false}
      training: {preset: tiny, duration_mimg: 0.00128, batch_size: 16, checkpoint_kimg: 0.16, tick_kimg: 0.16}
      evaluation: {feature_network: builtin, sets: 2, samples_per_set: 48, batch_size: 16, shard_size: 16, steps: 8}
      runtime: {heartbeat_timeout_s: 10}
      """;
  /** The bad-input cases' sweep: dataset, features and evaluation vary. */
  private static final String SMALL = """
      name: bad
      dataset: %s
      features: %s
      clustering: {temi: {neighbours: 10}}
      search: {enabled: false}
      grid: {points: [3], methods: [kmeans], unconditional: false, ground_truth: false}
      training: {preset: tiny, duration_mimg: 0.0002, batch_size: 16, checkpoint_kimg: 0.1, tick_kimg: 0.1}
      evaluation: %s
      """;
  private static final String SHAPES = "{kind: shapes, count: 64, resolution: 8}";
  private static final String BUILTIN_FEATURES = "{extractor: builtin, image_size: 32, knn: 10}";
  private static final String BUILTIN_EVALUATION =
      "{feature_network: builtin, sets: 1, samples_per_set: 16, batch_size: 16, shard_size: 16, steps: 4}";
  /** The stages a worker is killed in, in the sweep's order. */
  private static final List<String> STAGES = List.of("features", "knn", "clustering", "training", "evaluation");
  /** What the runs that resume a training start from: everything before training, finished. */
  private static final Set<String> TRAINING_ON = Set.of("training", "evaluation");

  @TempDir static Path tmp;
  private Path spec;
  private Path reference;
  private String trainingId;
  private int faults;
  private int recovered;
  private final FaultStores.Tally tally = new FaultStores.Tally();

  @BeforeAll
  void uninterruptedRun() throws Exception {
    spec = tmp.resolve("faults.yaml");
    Files.writeString(spec, SPEC);
    reference = tmp.resolve("reference");
    Cli clean = Cli.run("run", spec.toString(), "--store", reference.toString(), "--metrics", "none");
    assertEquals(0, clean.exitCode(), clean.out() + clean.err());
    trainingId = FaultStores.artifactIds(reference, "training").get(0);
  }

  @AfterAll
  void summary() {
    System.out.printf("fault suite: %d faults injected, %d runs recovered, %d artifacts compared, %d mismatches "
        + "(every file byte-identical; scores within %.1e relative)%n", faults, recovered, tally.compared,
        tally.mismatches.size(), tally.worstScoreDifference);
    assertEquals(List.of(), tally.mismatches);
  }

  /**
   * The same spec in a second JVM gives byte-identical artifacts, trained weights included: the
   * comparisons of this suite tolerate no difference in any file because of it.
   */
  @Test
  void aSecondProcessReproducesEveryArtifactBitForBit() throws Exception {
    Path store = tmp.resolve("second-process");
    CedmProcess run = CedmProcess.start("run", spec.toString(), "--store", store.toString(), "--metrics", "none");
    assertEquals(0, run.waitFor(600), run.output());
    FaultStores.Tally cross = new FaultStores.Tally();
    FaultStores.compare(reference, store, cross);
    System.out.printf("cross-process: %d artifacts compared, %d differ; largest relative score difference %.1e%n",
        cross.compared, cross.mismatches.size(), cross.worstScoreDifference);
    assertEquals(List.of(), cross.mismatches, "artifacts of a second process that differ from the first's");
  }

  @Test
  void aWorkerKilledInEveryStageLosesNothing() throws Exception {
    Path store = tmp.resolve("killed-workers");
    try (Cluster cluster = Cluster.start(store)) {
      cluster.addWorker();
      String sweep = cluster.submit(spec);
      for (String stage : STAGES) {
        cluster.awaitStage(sweep, stage, r -> !stage.equals("training")
            || FaultStores.checkpoints(FaultStores.trainingWork(store, trainingId)).size() >= 2);
        cluster.workers.get(cluster.workers.size() - 1).kill();
        faults++;
        assertFalse(FaultStores.hasArtifact(store, stage), "the worker was killed before " + stage + " finished");
        if (stage.equals("training")) {
          List<Path> kept = FaultStores.checkpoints(FaultStores.trainingWork(store, trainingId));
          FaultStores.truncateHalf(kept.get(kept.size() - 1).resolve("net.safetensors"));
          faults++;
        }
        cluster.addWorker();
      }
      cluster.sweeps.result(sweep);
      recovered++;
      String trainingLog = cluster.workers.get(STAGES.indexOf("training") + 1).output();
      assertTrue(trainingLog.contains("is invalid") && trainingLog.contains("falling back to the previous one"),
          "the truncated checkpoint is reported:\n" + trainingLog);
      assertTrue(trainingLog.contains("resuming interrupted EDM training from its checkpoint at"), trainingLog);
      check(store);

      Path knn = FaultStores.files(store, "knn", ".npy").get(0);
      FaultStores.flipLastByte(knn);
      faults++;
      cluster.sweeps.resume(sweep);
      cluster.sweeps.result(sweep);
      recovered++;
      String resumedLog = cluster.workers.get(cluster.workers.size() - 1).output();
      assertTrue(resumedLog.contains("failed verification"), "the corrupt artifact is reported:\n" + resumedLog);
      check(store);
    }
  }

  /**
   * Two workers share the trials (the grid point and the unconditional baseline); the one
   * training the grid point is killed, and the other takes that training over from its newest
   * checkpoint.
   */
  @Test
  void theSurvivingWorkerContinuesATrainingFromItsNewestCheckpoint() throws Exception {
    Path store = FaultStores.copyArtifacts(reference, tmp.resolve("two-workers"), TRAINING_ON);
    Path twoTrials = tmp.resolve("two-trials.yaml");
    Files.writeString(twoTrials, SPEC.replace("unconditional: false", "unconditional: true"));
    Path work = FaultStores.trainingWork(store, trainingId);
    try (Cluster cluster = Cluster.start(store)) {
      CedmProcess first = cluster.addWorker();
      CedmProcess second = cluster.addWorker();
      String sweep = cluster.submit(twoTrials);
      SweepClient.RunningStage victim = cluster.awaitStage(sweep, "training",
          r -> r.stage().equals("training") && r.progress() != null && "temi-C=4".equals(r.progress().trial())
              && FaultStores.checkpoints(work).size() >= 2);
      List<String> trainers = cluster.sweeps.running(sweep).stream()
          .filter(r -> r.started() && r.activityType().equals("training")).map(SweepClient.RunningStage::worker).toList();
      assertEquals(2, trainers.size(), "both trials train at once");
      assertNotEquals(trainers.get(0), trainers.get(1), "the trials are spread over both workers");
      CedmProcess killed = victim.worker().startsWith(first.pid() + "@") ? first : second;
      CedmProcess survivor = killed == first ? second : first;
      killed.kill();
      faults++;
      List<Path> kept = FaultStores.checkpoints(work);
      String resume = FaultStores.resumeLine(kept.get(kept.size() - 1));
      cluster.sweeps.result(sweep);
      recovered++;
      String log = survivor.output();
      assertTrue(log.contains(resume + " "), "the survivor logs '" + resume + "':\n" + log);
      check(store);
    }
  }

  @Test
  void aKilledRunReusesFinishedStagesAndResumesTraining() throws Exception {
    Path store = FaultStores.copyArtifacts(reference, tmp.resolve("killed-run"), TRAINING_ON);
    Path work = FaultStores.trainingWork(store, trainingId);
    CedmProcess run = CedmProcess.start("run", spec.toString(), "--store", store.toString(), "--metrics", "none");
    try {
      long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
      while (FaultStores.checkpoints(work).size() < 2) {
        assertTrue(System.nanoTime() < deadline, "no two checkpoints within 5 minutes");
        assertFalse(FaultStores.hasArtifact(store, "training"), "training finished before it was killed");
        Thread.sleep(20);
      }
    } finally {
      run.kill();
    }
    faults++;
    List<Path> kept = FaultStores.checkpoints(work);
    String resume = FaultStores.resumeLine(kept.get(kept.size() - 1));
    // --verbose: the worker's log lines (the resume among them) come with the run's output.
    CedmProcess again = CedmProcess.start("run", spec.toString(), "--store", store.toString(), "--metrics", "none",
        "--verbose");
    try {
      assertEquals(0, again.waitFor(600), again.output());
    } finally {
      again.kill();
    }
    recovered++;
    String out = again.output();
    for (String stage : List.of("dataset", "features", "knn", "clustering")) {
      String id = FaultStores.artifactIds(reference, stage).get(0);
      assertTrue(out.contains(stage + "/" + id + "  (reused)"), stage + " is reused:\n" + out);
    }
    assertTrue(out.contains(resume + " "), "training logs '" + resume + "':\n" + out);
    check(store);
  }

  /**
   * Each bad input ends its stage at once (not retried) with an error naming the file, and no
   * stack trace; the artifacts finished before stay and are reused once the input is fixed.
   */
  @Test
  void badInputEndsItsStageNamingTheFileAndKeepsWhatWasDone() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("bad-input"));
    Path store = dir.resolve("store");
    Path cifar = BadInputs.truncatedCifarBatch(dir.resolve("cifar"));
    expectFailure(dir, store, "{kind: cifar10, path: cifar}", BUILTIN_FEATURES, "dataset", cifar + ": has 100 bytes");
    Path image = BadInputs.folderWithANonImage(dir.resolve("folder"));
    expectFailure(dir, store, "{kind: folder, path: folder}", BUILTIN_FEATURES, "dataset", image + ": not a readable image");
    Path zip = BadInputs.edmZipWithWrongLabels(dir.resolve("edm.zip"));
    expectFailure(dir, store, "{kind: edm, path: edm.zip}", BUILTIN_FEATURES, "dataset",
        zip + ":dataset.json: labels[0] is [\"00000/img00000000.png\",\"cat\"]");
    Path junk = BadInputs.notAModel(dir.resolve("dino.pt"));
    expectFailure(dir, store, SHAPES, "{extractor: torchscript, model: dino.pt, image_size: 32, knn: 10}", "features",
        junk + ": not a loadable TorchScript model");
    List<String> datasets = FaultStores.artifactIds(store, "dataset");
    assertEquals(1, datasets.size(), "the shapes dataset finished before its features failed");
    Path dataset = store.resolve("artifacts/dataset/" + datasets.get(0) + "/manifest.json");
    String datasetManifest = Files.readString(dataset);
    Path wrongShape = BadInputs.wrongShapeModel();
    expectFailure(dir, store, SHAPES, "{extractor: torchscript, model: " + wrongShape + ", image_size: 32, knn: 10}",
        "features", wrongShape + ": returns shape (");
    Path nan = BadInputs.nanFeaturesModel();
    String nanSweep = expectFailure(dir, store, SHAPES, "{extractor: torchscript, model: " + nan + ", image_size: 32, knn: 10}",
        "features", "features: TorchScript nan_features.pt returned NaN or infinite features for image 0 of the train split");
    Cli status = Cli.run("status", nanSweep, "--store", store.toString(), "--target", "127.0.0.1:1");
    assertEquals(0, status.exitCode(), status.out() + status.err());
    assertTrue(status.out().contains("features     failed") && status.out().contains("returned NaN or infinite features"),
        "the failed run's record, without its server:\n" + status.out());
    Path huge = BadInputs.folderWithAHugeImage(dir.resolve("huge"));
    expectFailure(dir, store, "{kind: folder, path: huge}", BUILTIN_FEATURES, "dataset",
        huge + ": is 30000 x 30000 pixels; cedm reads images of at most 715827879 pixels");
    expectMissingModelAtTheWorker(dir, store);

    Path inception = BadInputs.notAModel(dir.resolve("inception.pt"));
    Path evalSpec = writeSpec(dir, SHAPES, BUILTIN_FEATURES, "{feature_network: pretrained, metrics: [fid], "
        + "inception_model: inception.pt, sets: 1, samples_per_set: 16, batch_size: 16, shard_size: 16, steps: 4}");
    Cli eval = Cli.run("run", evalSpec.toString(), "--store", store.toString(), "--metrics", "none");
    faults++;
    assertTrue(eval.out().contains(inception + ": not a loadable TorchScript model"), eval.out() + eval.err());
    assertEquals(1, eval.exitCode(), "every grid point failed:\n" + eval.out());
    assertFalse((eval.out() + eval.err()).contains("\tat "), eval.out() + eval.err());
    List<String> trained = FaultStores.artifactIds(store, "training");
    assertEquals(1, trained.size(), "the model trained before its evaluation failed");

    Cli fixed = Cli.run("run", writeSpec(dir, SHAPES, BUILTIN_FEATURES, BUILTIN_EVALUATION).toString(),
        "--store", store.toString(), "--metrics", "none");
    assertEquals(0, fixed.exitCode(), fixed.out() + fixed.err());
    recovered++;
    assertTrue(fixed.out().contains("dataset/" + datasets.get(0) + "  (reused)"), fixed.out());
    assertTrue(fixed.out().contains("training/" + trained.get(0) + "  (reused)"), fixed.out());
    assertEquals(datasetManifest, Files.readString(dataset));
  }

  /**
   * Every write of the first features chunk fails as on a full disk: the stage is tried
   * runtime.max_attempts times, then the sweep fails naming the file; the dataset finished before
   * stays as the uninterrupted run made it.
   */
  @Test
  void aFullDiskEndsItsStageAfterItsBoundedAttemptsAndKeepsWhatWasDone() throws Exception {
    Path store = tmp.resolve("full-disk");
    String features = FaultStores.artifactIds(reference, "features").get(0);
    Path chunk = FaultStores.fullDisk(store.resolve("work/features/" + features + "/train-size2000-00000.npy.tmp"));
    Path twoAttempts = Files.writeString(tmp.resolve("two-attempts.yaml"),
        SPEC.replace("runtime: {heartbeat_timeout_s: 10}", "runtime: {heartbeat_timeout_s: 10, max_attempts: 2}"));
    Cli cli = Cli.run("run", twoAttempts.toString(), "--store", store.toString(), "--metrics", "none");
    faults++;
    assertEquals(1, cli.exitCode(), cli.out() + cli.err());
    assertTrue(cli.out().contains("failed: stage features failed: " + chunk
        + ": No space left on device (all 2 attempts failed; runtime.max_attempts)"), cli.out() + cli.err());
    assertFalse((cli.out() + cli.err()).contains("\tat "), "no stack trace:\n" + cli.out() + cli.err());
    String dataset = FaultStores.artifactIds(reference, "dataset").get(0);
    assertEquals(List.of(dataset), FaultStores.artifactIds(store, "dataset"));
    assertEquals(FaultStores.manifestFiles(reference, "dataset", dataset), FaultStores.manifestFiles(store, "dataset", dataset));
    assertEquals(List.of(), FaultStores.artifactIds(store, "features"));
  }

  /** Runs the small spec with these parts, expects its stage to fail with the message; returns the sweep's id. */
  private String expectFailure(Path dir, Path store, String dataset, String features, String stage, String message)
      throws Exception {
    Path file = writeSpec(dir, dataset, features, BUILTIN_EVALUATION);
    Cli cli = Cli.run("run", file.toString(), "--store", store.toString(), "--metrics", "none");
    faults++;
    assertEquals(1, cli.exitCode(), cli.out() + cli.err());
    assertTrue(cli.out().contains("failed: stage " + stage + " failed: " + message), cli.out() + cli.err());
    assertFalse((cli.out() + cli.err()).contains("\tat "), "no stack trace:\n" + cli.out() + cli.err());
    return cli.out().lines().filter(l -> l.contains(" as sweep ")).findFirst().orElseThrow().replaceAll(".* as sweep ", "");
  }

  /** The spec was checked where it was submitted; the worker does not have the model file. */
  private void expectMissingModelAtTheWorker(Path dir, Path store) throws Exception {
    Path model = BadInputs.notAModel(dir.resolve("moved.pt"));
    LoadedSpec loaded = SpecLoader.load(writeSpec(dir, SHAPES,
        "{extractor: torchscript, model: moved.pt, image_size: 32, knn: 10}", BUILTIN_EVALUATION));
    Files.delete(model);
    try (LocalSweeps local = LocalSweeps.start(new ArtifactStore(store))) {
      String sweep = local.sweeps().submit(loaded).sweepId();
      WorkerConfig config = GpuList.parse("cpu").worker(loaded.spec().runtime().cpuQueue(), loaded.spec().runtime().gpuQueue(), 2);
      try (CedmWorker worker = local.worker(config)) {
        WorkflowFailedException e = assertThrows(WorkflowFailedException.class, () -> local.sweeps().result(sweep));
        faults++;
        StringBuilder causes = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
          causes.append(t.getMessage()).append('\n');
        }
        assertTrue(causes.toString().contains("features.model: file " + model + " not found on this worker"),
            causes.toString());
      }
    }
  }

  private static Path writeSpec(Path dir, String dataset, String features, String evaluation) throws Exception {
    return Files.writeString(dir.resolve("bad.yaml"), SMALL.formatted(dataset, features, evaluation));
  }

  private void check(Path store) throws Exception {
    FaultStores.compare(reference, store, tally);
    assertEquals(List.of(), tally.mismatches, "artifacts that differ from the uninterrupted run");
  }

  /** A `cedm server` process, the worker processes on it, and a client. */
  private static final class Cluster implements AutoCloseable {
    final Path store;
    final String target;
    final CedmProcess server;
    final List<CedmProcess> workers = new ArrayList<>();
    final WorkflowServiceStubs stubs;
    final SweepClient sweeps;

    private Cluster(Path store, String target, CedmProcess server) throws Exception {
      this.store = store;
      this.target = target;
      this.server = server;
      ConnectionOptions options = ConnectionOptions.plain(target, "default");
      stubs = options.connect();
      sweeps = new SweepClient(options.client(stubs), new SweepRecords(new ArtifactStore(store)));
    }

    static Cluster start(Path store) throws Exception {
      int port;
      try (ServerSocket s = new ServerSocket(0)) {
        port = s.getLocalPort();
      }
      CedmProcess server = CedmProcess.start("server", "--port", Integer.toString(port));
      try {
        server.awaitLine("listening on", 60);
        return new Cluster(store, "127.0.0.1:" + port, server);
      } catch (Exception | AssertionError e) {
        server.kill();
        throw e;
      }
    }

    CedmProcess addWorker() throws Exception {
      CedmProcess w = CedmProcess.start("worker", "--target", target, "--store", store.toString(), "--metrics", "none");
      workers.add(w);
      w.awaitLine("cedm: worker on", 60);
      return w;
    }

    String submit(Path spec) throws Exception {
      LoadedSpec loaded = SpecLoader.load(spec);
      return sweeps.submit(loaded).sweepId();
    }

    /** Waits until a worker runs {@code stage} and {@code ready} holds for it; fails if the stage finishes first. */
    SweepClient.RunningStage awaitStage(String sweep, String stage, Ready ready) throws Exception {
      long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
      while (System.nanoTime() < deadline) {
        if (FaultStores.hasArtifact(store, stage)) {
          throw new AssertionError(stage + " finished before it was seen running: make it longer in the test's spec");
        }
        for (SweepClient.RunningStage r : sweeps.running(sweep)) {
          if (r.started() && r.activityType().equals(stage) && ready.test(r)) {
            return r;
          }
        }
        Thread.sleep(20);
      }
      throw new AssertionError("stage " + stage + " never ran");
    }

    @Override
    public void close() throws Exception {
      stubs.shutdownNow();
      workers.forEach(CedmProcess::destroy);
      server.destroy();
      for (CedmProcess w : workers) {
        w.kill();
      }
      server.kill();
    }
  }

  @FunctionalInterface
  private interface Ready {
    boolean test(SweepClient.RunningStage running) throws Exception;
  }
}
