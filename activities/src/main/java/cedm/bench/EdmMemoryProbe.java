package cedm.bench;

import ai.djl.Device;
import cedm.edm.EdmTrainer;
import cedm.edm.NetworkConfig;
import cedm.edm.TrainingData;
import cedm.edm.TrainingListener;
import cedm.edm.TrainingProgress;
import cedm.memory.PeakMemory;
import cedm.spec.SpecValue;
import cedm.spec.TrainingSpec;
import cedm.store.ArtifactStore;
import cedm.store.Checkpoints;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * One EDM training step in a process of its own, printing the process's peak resident memory
 * (VmHWM) at the end of the step, before any checkpoint is written. Run by
 * {@link EdmBenchmarks#peakMemory}: a fresh process per configuration, as the reference's figure
 * comes from a fresh Python process.
 *
 * <p>Arguments: preset (tiny, ddpmpp-cifar), resolution, batch, batch_gpu (or "null").
 */
public final class EdmMemoryProbe {
  private EdmMemoryProbe() {}

  public static void main(String[] args) throws Exception {
    TrainingSpec.Preset preset = SpecValue.byId(TrainingSpec.Preset.class, args[0])
        .orElseThrow(() -> new IllegalArgumentException("no preset " + args[0]));
    int resolution = Integer.parseInt(args[1]);
    int batch = Integer.parseInt(args[2]);
    Integer batchGpu = args[3].equals("null") ? null : Integer.valueOf(args[3]);
    int labels = 10;
    TrainingSpec spec = new TrainingSpec(preset, null, null, null, null, null, null, batch / 1e6, batch, batchGpu,
        1e-3, 10000, 500, 0.05, 0.12, 1e9, 1, 1e9);
    TrainingData data = EdmBenchmarks.randomData(Math.max(batch, 256), resolution, labels);
    Path dir = Files.createTempDirectory("cedm-bench-memory");
    long[] peak = {0};
    try {
      new EdmTrainer(spec, NetworkConfig.of(spec, resolution, 3, labels), 0, List.of(Device.cpu())).train(
          data, new Checkpoints(dir.resolve("c"), 1),
          dir.resolve("ema.safetensors"), new TrainingListener() {
            @Override
            public void tick(TrainingProgress progress) {}

            @Override
            public void step(long nimg) {
              peak[0] = PeakMemory.peak().residentBytes();
            }
          }, 0);
    } finally {
      ArtifactStore.deleteTree(dir);
    }
    System.out.println(peak[0]);
  }
}
