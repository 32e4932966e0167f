package cedm.edm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.djl.Device;
import cedm.io.BadInputException;
import cedm.spec.TrainingSpec;
import cedm.store.Checkpoints;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 16: a round too large for the device ends training with one line naming
 * training.batch_gpu, the round and the device, and the checkpoint written before stays the one
 * training resumes from. The engine's real allocator fails: self-attention at 64x64 over a round
 * of 512 images needs a 34 GB array, more than this machine's memory.
 */
class OutOfMemoryTest {
  private static TrainingSpec spec(int batch, int batchGpu, double durationImages) {
    return new TrainingSpec(TrainingSpec.Preset.TINY, 8, List.of(1), null, 1, List.of(64), 0.0, durationImages / 1e6,
        batch, batchGpu, 1e-3, 0.05, 0.5, 0.05, 0.0, 0.008, 3, 0.008);
  }

  private static TrainingData data() {
    byte[] images = new byte[512 * 64 * 64 * 3];
    new Random(1).nextBytes(images);
    return new TrainingData(images, 512, 64, 64, 3, null, 0);
  }

  @Test
  void aRoundThatDoesNotFitNamesBatchGpuAndKeepsTheCheckpoint(@TempDir Path tmp) throws Exception {
    // Linux refuses a single allocation above memory + swap only under its default overcommit heuristic.
    assumeTrue(Files.readString(Path.of("/proc/sys/vm/overcommit_memory")).trim().equals("0"),
        "needs vm.overcommit_memory = 0");
    Checkpoints checkpoints = new Checkpoints(tmp.resolve("ckpt"), 3);
    // A first step at a batch that fits writes the checkpoint (at 8 images).
    TrainingSpec fits = spec(8, 8, 8);
    new EdmTrainer(fits, NetworkConfig.of(fits, 64, 3, 0), 3, List.of(Device.cpu()))
        .train(data(), checkpoints, tmp.resolve("ema.safetensors"), p -> {}, 0);
    assertEquals(8, checkpoints.latest().orElseThrow().step());

    TrainingSpec tooLarge = spec(512, 512, 1024);
    BadInputException e = assertThrows(BadInputException.class, () -> new EdmTrainer(tooLarge,
        NetworkConfig.of(tooLarge, 64, 3, 0), 3, List.of(Device.cpu()))
        .train(data(), checkpoints, tmp.resolve("ema2.safetensors"), p -> {}, 0));
    assertEquals("training.batch_gpu: a round of 512 images of 64x64 ran out of memory on cpu(); set "
        + "training.batch_gpu to a smaller divisor of 512 (e.g. 256). The checkpoint at 0.008 kimg is kept and "
        + "training resumes from it", e.getMessage());
    assertEquals(8, checkpoints.latest().orElseThrow().step(), "the checkpoint is still the valid newest one");
  }
}
