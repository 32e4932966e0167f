package cedm.bench;

import ai.djl.Device;
import ai.djl.util.cuda.CudaUtils;
import cedm.edm.EdmTrainer;
import cedm.edm.NetworkConfig;
import cedm.edm.TrainingData;
import cedm.edm.TrainingListener;
import cedm.edm.TrainingProgress;
import cedm.io.ChildJvm;
import cedm.memory.PeakMemory;
import cedm.spec.TrainingSpec;
import cedm.store.ArtifactStore;
import cedm.store.Checkpoints;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A few training steps of a spec's network on one device, in a process of its own: its peak
 * memory and its speed. On the CPU the peak is the process's resident high-water mark; on a GPU,
 * the device memory in use after the steps (CUDA's caching allocator keeps what the step needed).
 * Run by {@link #measure}, once per batch size, so that each figure starts from a clean device.
 *
 * <p>Arguments: training spec (JSON), resolution, labels, batch, device ("cpu" or a CUDA id), steps.
 */
public final class TrainingProbe {
  private static final ObjectMapper JSON = new ObjectMapper();
  /** Far more than a probe of a few steps needs; a child that ends its output but not its process is killed. */
  private static final Duration PROBE_TIME = Duration.ofHours(1);

  /** Peak bytes of the device (or process) while training, and the median images per second after the first step. */
  public record Result(long peakBytes, double imagesPerSecond) {}

  private TrainingProbe() {}

  /** Runs the probe in a fresh JVM with this one's class path. */
  public static Result measure(TrainingSpec spec, int resolution, int labels, int batch, String device, int steps)
      throws IOException, InterruptedException {
    ProcessBuilder builder = ChildJvm.of(TrainingProbe.class, JSON.writeValueAsString(spec),
        Integer.toString(resolution), Integer.toString(labels), Integer.toString(batch), device, Integer.toString(steps));
    // As EdmMemoryProbe: freed activation-sized blocks go back to the system, so the peak is the step's.
    builder.environment().put("MALLOC_MMAP_THRESHOLD_", "65536");
    ChildJvm.Ended probe = ChildJvm.run(builder, PROBE_TIME);
    String last = probe.lastLine();
    if (probe.exitCode() != 0 || !last.matches("\\d+ [0-9.Ee+-]+")) {
      throw new IOException("training probe at batch " + batch + " on " + device + " failed: " + last);
    }
    String[] f = last.split(" ");
    return new Result(Long.parseLong(f[0]), Double.parseDouble(f[1]));
  }

  public static void main(String[] args) throws Exception {
    Result r = run(JSON.readValue(args[0], TrainingSpec.class), Integer.parseInt(args[1]), Integer.parseInt(args[2]),
        Integer.parseInt(args[3]), args[4].equals("cpu") ? Device.cpu() : Device.gpu(Integer.parseInt(args[4])),
        Integer.parseInt(args[5]));
    System.out.println(r.peakBytes() + " " + r.imagesPerSecond());
  }

  /** {@code steps} steps of the spec's network and optimiser at {@code batch} in one round, in this process. */
  public static Result run(TrainingSpec given, int resolution, int labels, int batch, Device device, int steps)
      throws IOException {
    TrainingSpec spec = new TrainingSpec(given.preset(), given.modelChannels(), given.channelMult(),
        given.channelMultEmb(), given.numBlocks(), given.attnResolutions(), given.dropout(), steps * batch / 1e6,
        batch, null, given.lr(), given.lrRampupKimg(), given.emaHalflifeKimg(), given.emaRampupRatio(),
        given.augmentP(), 1e9, 1, batch / 1000.0);
    TrainingData data = EdmBenchmarks.randomData(Math.max(batch, 64), resolution, labels);
    Path dir = Files.createTempDirectory("cedm-training-probe");
    long[] peak = {0};
    List<Double> rates = new ArrayList<>();
    try {
      new EdmTrainer(spec, NetworkConfig.of(spec, resolution, 3, labels), 0, List.of(device)).train(
          data, new Checkpoints(dir.resolve("c"), 1),
          dir.resolve("ema.safetensors"), new TrainingListener() {
            @Override
            public void tick(TrainingProgress progress) {
              rates.add(progress.imagesPerSecond());
            }

            @Override
            public void step(long nimg) {
              peak[0] = Math.max(peak[0], device.isGpu() ? CudaUtils.getGpuMemory(device).getUsed()
                  : PeakMemory.peak().residentBytes());
            }
          }, 0);
    } finally {
      ArtifactStore.deleteTree(dir);
    }
    List<Double> timed = new ArrayList<>(rates.subList(Math.min(1, rates.size() - 1), rates.size()));
    timed.sort(Double::compare);
    return new Result(peak[0], timed.get(timed.size() / 2));
  }
}
