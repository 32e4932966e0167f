package cedm.edm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import cedm.io.Safetensors;
import cedm.spec.TrainingSpec;
import cedm.store.Checkpoints;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 16: a step's batch in one round, in accumulation rounds, or over two replicas (both on the
 * CPU, through the multi-device code path) trains the same network up to float rounding, because
 * each image's draws come from its own seed and the loss is scaled by the whole batch.
 */
class GradientAccumulationTest {
  /**
   * Float32 sums in another order differ in the last bits; Adam turns that into up to about 1% of
   * a step (lr 6.4e-4 here) for elements whose gradient is near zero, as its update m/sqrt(v)
   * ignores the gradient's scale. Measured: 7.4e-6 (rounds) and 6.8e-6 (replicas) on weights of
   * magnitude up to 3.6, after 3 steps.
   */
  private static final double TOLERANCE = 2e-5;
  private static final int BATCH = 32;

  private static TrainingSpec spec(Integer batchGpu) {
    return new TrainingSpec(TrainingSpec.Preset.TINY, null, null, null, null, null, 0.13, 3 * BATCH / 1e6, BATCH,
        batchGpu, 1e-3, 0.05, 0.5, 0.05, 0.5, 3 * BATCH / 1000.0, 1, BATCH / 1000.0);
  }

  private static Map<String, NDArray> train(Path dir, Integer batchGpu, int replicas, NDManager m) throws Exception {
    TrainingSpec spec = spec(batchGpu);
    Checkpoints checkpoints = new Checkpoints(dir.resolve("ckpt"), 1);
    new EdmTrainer(spec, NetworkConfig.of(spec, 16, 3, 3), 7, Collections.nCopies(replicas, Device.cpu()))
        .train(EdmTrainerTest.data(40, false), checkpoints, dir.resolve("ema.safetensors"), p -> {}, 0);
    Map<String, NDArray> all = new java.util.TreeMap<>();
    Path newest = checkpoints.latest().orElseThrow().dir();
    Safetensors.read(m, newest.resolve("net.safetensors")).forEach((k, v) -> all.put("net " + k, v));
    Safetensors.read(m, dir.resolve("ema.safetensors")).forEach((k, v) -> all.put("ema " + k, v));
    Safetensors.read(m, newest.resolve("adam.safetensors")).forEach((k, v) -> all.put("adam " + k, v));
    return all;
  }

  private static double maxDifference(Map<String, NDArray> a, Map<String, NDArray> b) {
    assertTrue(a.keySet().equals(b.keySet()), "same tensors");
    double max = 0;
    for (String k : a.keySet()) {
      double d = a.get(k).sub(b.get(k)).abs().max().getFloat();
      max = Math.max(max, d);
    }
    return max;
  }

  @Test
  void oneRoundFourRoundsAndTwoReplicasTrainTheSameWeights(@TempDir Path tmp) throws Exception {
    try (NDManager m = NDManager.newBaseManager()) {
      Map<String, NDArray> whole = train(tmp.resolve("whole"), null, 1, m);
      Map<String, NDArray> rounds = train(tmp.resolve("rounds"), 8, 1, m);
      Map<String, NDArray> replicas = train(tmp.resolve("replicas"), 8, 2, m);
      double roundsOff = maxDifference(whole, rounds);
      double replicasOff = maxDifference(whole, replicas);
      System.out.printf("accumulation: 4 rounds of 8 differ from 1 round of 32 by %.3g, 2 replicas x 2 rounds by %.3g "
          + "(max abs over weights, EMA, Adam moments after 3 steps)%n", roundsOff, replicasOff);
      assertTrue(roundsOff <= TOLERANCE, "4 rounds of 8: " + roundsOff);
      assertTrue(replicasOff <= TOLERANCE, "2 replicas: " + replicasOff);
      assertTrue(maxDifference(whole, train(tmp.resolve("again"), null, 1, m)) == 0, "same run twice: bit for bit");
    }
  }

  @Test
  void anImagesDrawsDoNotDependOnItsRound() {
    SongUNet net = new SongUNet(NetworkConfig.of(spec(null), 16, 3, 3));
    Shape image = new Shape(3, 16, 16);
    try (NDManager m = NDManager.newBaseManager()) {
      ImageDraws.Drawn all = ImageDraws.draw(m, 99, 0, 32, image, net.dropoutLayers(), 0.13);
      ImageDraws.Drawn part = ImageDraws.draw(m, 99, 8, 8, image, net.dropoutLayers(), 0.13);
      assertArrayEquals(all.rndNormal().get(new NDIndex("8:16")).toFloatArray(), part.rndNormal().toFloatArray());
      assertArrayEquals(all.noise().get(new NDIndex("8:16")).toFloatArray(), part.noise().toFloatArray());
      NDArray x = m.ones(new Shape(32, 16, 16, 16));
      NDArray keptAll = all.dropout().apply(0, x).get(new NDIndex("8:16"));
      NDArray keptPart = part.dropout().apply(0, x.get(new NDIndex("8:16")));
      assertArrayEquals(keptAll.toFloatArray(), keptPart.toFloatArray());
      double kept = keptAll.gt(0).toType(ai.djl.ndarray.types.DataType.FLOAT32, false).mean().getFloat();
      assertTrue(Math.abs(kept - 0.87) < 0.01, "keeps 1 - p of the activations: " + kept);
      AugmentDraws augmentAll = ImageDraws.augment(99, 0, 32);
      AugmentDraws augmentPart = ImageDraws.augment(99, 8, 8);
      float[] translateAll = augmentAll.randn(m, new Shape(2, 32)).toFloatArray();
      float[] translatePart = augmentPart.randn(m, new Shape(2, 8)).toFloatArray();
      for (int k = 0; k < 2; k++) {
        for (int i = 0; i < 8; i++) {
          assertTrue(translateAll[k * 32 + 8 + i] == translatePart[k * 8 + i], "translation " + k + " of image " + (8 + i));
        }
      }
    }
  }
}
