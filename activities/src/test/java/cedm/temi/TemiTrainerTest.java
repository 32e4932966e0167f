package cedm.temi;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.Device;
import cedm.io.BadInputException;
import cedm.io.Npy;
import cedm.spec.TemiSpec;
import cedm.store.Checkpoints;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TemiTrainerTest {
  static final int N = 192;
  static final int D = 12;
  static final int M = 6;
  @TempDir Path tmp;

  static TemiSpec spec(int epochs, double lr) {
    return new TemiSpec(3, epochs, 32, lr, lr / 10, 1, 1e-4, 0.6, 0.1, 0.1, 0.99, 1.0, 0.9, 1, 32, 16, M, 1);
  }

  /** Four Gaussian blobs; each point's neighbours are the next points of its own blob. */
  static float[] features() {
    SplittableRandom r = new SplittableRandom(5);
    float[] x = new float[N * D];
    for (int i = 0; i < N; i++) {
      for (int j = 0; j < D; j++) {
        x[i * D + j] = (float) ((j == i % 4 ? 3 : 0) + r.nextGaussian() * 0.5);
      }
    }
    return x;
  }

  static long[] neighbours() {
    long[] knn = new long[N * M];
    for (int i = 0; i < N; i++) {
      for (int k = 0; k < M; k++) {
        knn[i * M + k] = (i + 4 * (k + 1)) % N;
      }
    }
    return knn;
  }

  /** A progress hook that kills the run at a given step, as SIGKILL would. */
  static final class KilledAt extends RuntimeException {
    KilledAt(long step) {
      super("killed at step " + step);
    }
  }

  @Test
  void aRunKilledMidEpochResumesFromItsLastEpochCheckpointBitIdentically() throws Exception {
    TemiTrainer trainer = new TemiTrainer(spec(5, 1e-3), 4, 3, Device.cpu());
    Checkpoints straight = new Checkpoints(tmp.resolve("straight"), 2);
    TemiTrainer.Outcome expected = trainer.train(features(), N, D, neighbours(), M, straight, p -> {});
    assertEquals(0, expected.resumedAtEpoch());

    Checkpoints interrupted = new Checkpoints(tmp.resolve("interrupted"), 2);
    long killStep = 2 * (N / 32) + 3;
    assertThrows(KilledAt.class, () -> trainer.train(features(), N, D, neighbours(), M, interrupted, p -> {
      if (p.step() == killStep) {
        throw new KilledAt(p.step());
      }
    }));
    TemiTrainer.Outcome resumed = trainer.train(features(), N, D, neighbours(), M, interrupted, p -> {});
    assertEquals(2, resumed.resumedAtEpoch());
    assertArrayEquals(expected.assignments(), resumed.assignments());
    assertArrayEquals(expected.headLosses(), resumed.headLosses());
    assertEquals(expected.bestHead(), resumed.bestHead());
    Path a = straight.latest().orElseThrow().dir();
    Path b = interrupted.latest().orElseThrow().dir();
    assertEquals(List.of("checkpoint.json", "temi.safetensors"), names(a), "the state is one safetensors file");
    assertArrayEquals(Files.readAllBytes(a.resolve("temi.safetensors")), Files.readAllBytes(b.resolve("temi.safetensors")));
  }

  private static List<String> names(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(f -> f.getFileName().toString()).sorted().toList();
    }
  }

  /** Checkpoints of cedm before issue 20 kept one .npy per tensor: such a one is skipped, not fatal. */
  @Test
  void aCheckpointInTheOlderNpyLayoutIsDiscardedAndTrainingStartsAfresh() throws Exception {
    Checkpoints checkpoints = new Checkpoints(tmp.resolve("old"), 2);
    ObjectNode meta = new ObjectMapper().createObjectNode().put("epoch", 1);
    meta.putArray("last_epoch_losses").add(1.0).add(1.0).add(1.0);
    meta.putObject("adam_steps").put("w1", 6);
    checkpoints.save(1, meta, dir -> Npy.write(dir.resolve("student.w1.npy"), new float[D * 32], D, 32));
    TemiTrainer.Outcome out = new TemiTrainer(spec(1, 1e-3), 4, 3, Device.cpu())
        .train(features(), N, D, neighbours(), M, checkpoints, p -> {});
    assertEquals(0, out.resumedAtEpoch());
    assertEquals(List.of("checkpoint.json", "temi.safetensors"), names(checkpoints.latest().orElseThrow().dir()),
        "the epoch's new checkpoint replaced the old one");
  }

  @Test
  void learnsSeparableBlobs() throws Exception {
    TemiTrainer.Outcome out = new TemiTrainer(spec(60, 1e-2), 4, 1, Device.cpu())
        .train(features(), N, D, neighbours(), M, new Checkpoints(tmp.resolve("c"), 1), p -> {});
    long[] truth = new long[N];
    for (int i = 0; i < N; i++) {
      truth[i] = i % 4;
    }
    double ari = cedm.cluster.ClusterScoring.of(truth, out.assignments()).ari();
    org.junit.jupiter.api.Assertions.assertTrue(ari > 0.9, "ARI " + ari);
  }

  @Test
  void aBatchLargerThanTheDatasetIsBadInput() {
    TemiSpec big = new TemiSpec(3, 1, 1000, 1e-3, 1e-4, 0, 1e-4, 0.6, 0.1, 0.1, 0.99, 1.0, 0.9, 1, 32, 16, M, 1);
    assertThrows(BadInputException.class, () -> new TemiTrainer(big, 4, 0, Device.cpu())
        .train(features(), N, D, neighbours(), M, new Checkpoints(tmp.resolve("b"), 1), p -> {}));
  }
}
