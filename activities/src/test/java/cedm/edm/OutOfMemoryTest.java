package cedm.edm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
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
 * training.batch_gpu, the round, the device and the checkpoint training resumes from. The engine's
 * real allocator fails: self-attention at 64x64 over a round of 512 images needs a 34 GB array,
 * more than this machine's memory (CUDA's message is matched the same way; no GPU here).
 */
class OutOfMemoryTest {
  private static TrainingSpec spec(int batch, int batchGpu, double durationImages) {
    return new TrainingSpec(TrainingSpec.Preset.TINY, 8, List.of(1), null, 1, List.of(64), 0.0, durationImages / 1e6,
        batch, batchGpu, 1e-3, 0.05, 0.5, 0.05, 0.0, 0.512, 3, 0.512);
  }

  private static TrainingData data() {
    byte[] images = new byte[512 * 64 * 64 * 3];
    new Random(1).nextBytes(images);
    return new TrainingData(images, 512, 64, 64, 3, null, 0);
  }

  @Test
  void aRoundThatDoesNotFitNamesBatchGpuAndWritesNoCheckpoint(@TempDir Path tmp) throws Exception {
    // Linux refuses a single allocation above memory + swap only under its default overcommit heuristic.
    assumeTrue(Files.readString(Path.of("/proc/sys/vm/overcommit_memory")).trim().equals("0"),
        "needs vm.overcommit_memory = 0");
    Checkpoints checkpoints = new Checkpoints(tmp.resolve("ckpt"), 3);
    TrainingSpec tooLarge = spec(512, 512, 1024);
    BadInputException e = assertThrows(BadInputException.class, () -> new EdmTrainer(tooLarge,
        NetworkConfig.of(tooLarge, 64, 3, 0), 3, List.of(Device.cpu()))
        .train(data(), checkpoints, tmp.resolve("ema.safetensors"), p -> {}, 0));
    assertEquals("training.batch_gpu: a round of 512 images of 64x64 ran out of memory on cpu(); set "
        + "training.batch_gpu to a smaller divisor of 512 (e.g. 256). No checkpoint was written yet", e.getMessage());
    assertTrue(checkpoints.latest().isEmpty(), "a failed step writes nothing: checkpoints are taken between steps");
  }

  @Test
  void theMessageNamesTheCheckpointTrainingResumesFrom() {
    Exception engine = new ai.djl.engine.EngineException("CUDA out of memory. Tried to allocate 2.00 GiB");
    StepPlan plan = new StepPlan(1024, 4, 128);
    Checkpoints.Checkpoint at = new Checkpoints.Checkpoint(512_000, Path.of("ckpt-000000512000"), null, 0, 0);
    assertEquals("training.batch_gpu: a round of 128 images of 32x32 ran out of memory on gpu(2); set "
        + "training.batch_gpu to a smaller divisor of 256 (e.g. 64). The checkpoint at 512.0 kimg is kept and "
        + "training resumes from it", OutOfDeviceMemory.explain(new RuntimeException(engine), plan, Device.gpu(2), 32,
        at).orElseThrow().getMessage());
    assertTrue(OutOfDeviceMemory.explain(new IllegalStateException("shape mismatch"), plan, Device.gpu(2), 32, at)
        .isEmpty(), "other failures are left as they are");
  }
}
