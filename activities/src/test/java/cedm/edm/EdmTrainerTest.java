package cedm.edm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import cedm.spec.TrainingSpec;
import cedm.store.Checkpoints;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EdmTrainerTest {
  static TrainingSpec spec(double durationKimg, int batch, double checkpointKimg, double augmentP) {
    return new TrainingSpec(TrainingSpec.Preset.TINY, null, null, null, null, null, 0.13, durationKimg / 1000, batch, null,
        1e-3, 0.05, 0.5, 0.05, augmentP, checkpointKimg, 3, checkpointKimg);
  }

  static TrainingData data(int n, boolean constant) {
    Random r = new Random(3);
    byte[] images = new byte[n * 16 * 16 * 3];
    int[] labels = new int[n];
    for (int i = 0; i < n; i++) {
      labels[i] = i % 3;
      for (int k = 0; k < 16 * 16 * 3; k++) {
        images[i * 768 + k] = (byte) (constant ? 40 + 80 * labels[i] : r.nextInt(256));
      }
    }
    return new TrainingData(images, n, 16, 16, 3, labels, 3);
  }

  private static EdmTrainer trainer(TrainingSpec spec) {
    return new EdmTrainer(spec, NetworkConfig.of(spec, 16, 3, 3), 11, List.of(Device.cpu()));
  }

  @Test
  void killedAndResumedTrainingEqualsAnUninterruptedRunBitForBit(@TempDir Path tmp) throws Exception {
    TrainingSpec spec = spec(0.048, 8, 0.016, 0.5);
    TrainingData data = data(20, false);
    Checkpoints straightCkpt = new Checkpoints(tmp.resolve("straight"), 3);
    TrainingOutcome straight = trainer(spec).train(data, straightCkpt, tmp.resolve("straight.safetensors"), p -> {}, 0);
    assertEquals(6, straight.steps());

    Checkpoints resumedCkpt = new Checkpoints(tmp.resolve("resumed"), 3);
    trainer(spec).train(data, resumedCkpt, tmp.resolve("ignored.safetensors"), p -> {}, 40);
    assertEquals(40, resumedCkpt.latest().orElseThrow().step(), "stopped after step 5, with a checkpoint there");
    // The newest checkpoint is corrupt: training falls back to the one at step 4.
    Path newest = resumedCkpt.latest().orElseThrow().dir().resolve("net.safetensors");
    byte[] bytes = Files.readAllBytes(newest);
    bytes[bytes.length / 2] ^= 1;
    Files.write(newest, bytes);
    TrainingOutcome resumed = trainer(spec).train(data, resumedCkpt, tmp.resolve("resumed.safetensors"), p -> {}, 0);
    assertEquals(32, resumed.resumedAtNimg());
    assertEquals(6, resumed.steps());

    assertArrayEquals(Files.readAllBytes(tmp.resolve("straight.safetensors")),
        Files.readAllBytes(tmp.resolve("resumed.safetensors")), "EMA weights");
    for (String file : List.of("net.safetensors", "adam.safetensors")) {
      assertArrayEquals(Files.readAllBytes(straightCkpt.latest().orElseThrow().dir().resolve(file)),
          Files.readAllBytes(resumedCkpt.latest().orElseThrow().dir().resolve(file)), file);
    }
    try (Stream<Path> kept = Files.list(tmp.resolve("straight"))) {
      assertEquals(3, kept.filter(p -> p.getFileName().toString().startsWith("ckpt-")).count(), "keep 3");
    }
  }

  @Test
  void lossFallsOnAnEasyDataset(@TempDir Path tmp) throws Exception {
    TrainingSpec spec = spec(2.4, 16, 10, 0);
    List<Double> losses = new ArrayList<>();
    EdmTrainer trainer = new EdmTrainer(new TrainingSpec(TrainingSpec.Preset.TINY, null, null, null, null, null, 0.0,
        spec.durationMimg(), 16, null, 1e-2, 0, 0.5, 0.05, 0.0, 10, 3, 0.16), NetworkConfig.of(spec, 16, 3, 3), 5, List.of(Device.cpu()));
    trainer.train(data(48, true), new Checkpoints(tmp.resolve("c"), 1), tmp.resolve("ema.safetensors"),
        p -> losses.add(p.loss()), 0);
    assertEquals(15, losses.size());
    double first = losses.get(0);
    double last = losses.get(losses.size() - 1);
    assertTrue(last < 0.5 * first, "loss per tick " + losses);
  }

  @Test
  void nanToNumCleansGradientsAsTorchDoes() {
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray g = m.create(new float[] {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 3e6f, -2});
      assertArrayEquals(new float[] {0, 1e5f, -1e5f, 3e6f, -2}, EdmTrainer.nanToNum(g).toFloatArray());
    }
  }

  @Test
  void schedulesFollowEdm() {
    assertEquals(0, TrainingSchedule.learningRate(1e-3, 10000, 0));
    assertEquals(5e-4, TrainingSchedule.learningRate(1e-3, 10000, 5_000_000), 1e-15);
    assertEquals(1e-3, TrainingSchedule.learningRate(1e-3, 10000, 20_000_000), 1e-15);
    assertEquals(0, TrainingSchedule.emaBeta(500, 0.05, 0, 512), "first step copies the network");
    assertEquals(Math.pow(0.5, 512 / 50_000.0), TrainingSchedule.emaBeta(500, 0.05, 1_000_000, 512), 1e-15);
    assertEquals(Math.pow(0.5, 512 / 500_000.0), TrainingSchedule.emaBeta(500, 0.05, 100_000_000, 512), 1e-15);
    assertEquals(Math.pow(0.5, 512 / 500_000.0), TrainingSchedule.emaBeta(500, null, 0, 512), 1e-15);
  }
}
