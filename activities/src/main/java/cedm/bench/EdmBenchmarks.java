package cedm.bench;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import cedm.edm.EdmPrecond;
import cedm.edm.EdmTrainer;
import cedm.edm.HeunSampler;
import cedm.edm.NetworkConfig;
import cedm.edm.NetworkParameters;
import cedm.edm.SampleGenerator;
import cedm.edm.SongUNet;
import cedm.edm.TrainingData;
import cedm.edm.TrainingOutcome;
import cedm.io.ChildJvm;
import cedm.spec.TrainingSpec;
import cedm.store.ArtifactStore;
import cedm.store.Checkpoints;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/** EDM training-step and sampling speed on random data, as {@code cedm bench --only edm} prints them. */
public final class EdmBenchmarks {
  private EdmBenchmarks() {}

  /** Median seconds per training step after one warm-up step. */
  public record StepTiming(double secondsPerStep, double imagesPerSecond, long parameters) {}

  /** Full training steps (AugmentPipe p=0.12, EDMLoss, Adam, EMA) on random CIFAR-shaped images. */
  public static StepTiming training(TrainingSpec.Preset preset, int resolution, int labels, int batch, int steps)
      throws Exception {
    TrainingSpec spec = new TrainingSpec(preset, null, null, null, null, null, null, (steps + 1) * batch / 1e6, batch, null,
        1e-3, 10000, 500, 0.05, 0.12, 1e9, 1, batch / 1000.0);
    TrainingData data = randomData(Math.max(batch * 2, 256), resolution, labels);
    Path dir = Files.createTempDirectory("cedm-bench-edm");
    try {
      List<Double> rates = new ArrayList<>();
      TrainingOutcome outcome = new EdmTrainer(spec, NetworkConfig.of(spec, resolution, 3, labels), 0, List.of(Device.cpu()))
          .train(data, new Checkpoints(dir.resolve("ckpt"), 1), dir.resolve("ema.safetensors"),
              p -> rates.add(p.imagesPerSecond()), 0);
      List<Double> timed = new ArrayList<>(rates.subList(1, rates.size()));
      timed.sort(Double::compare);
      double median = timed.get(timed.size() / 2);
      return new StepTiming(batch / median, median, outcome.parameters());
    } finally {
      ArtifactStore.deleteTree(dir);
    }
  }

  /** n random RGB images of {@code resolution}, labelled 0, 1, ..., labels - 1 in turn: only the time and memory matter. */
  static TrainingData randomData(int n, int resolution, int labels) {
    byte[] images = new byte[n * resolution * resolution * 3];
    new SplittableRandom(1).nextBytes(images);
    int[] ids = new int[n];
    for (int i = 0; i < n; i++) {
      ids[i] = i % labels;
    }
    return new TrainingData(images, n, resolution, resolution, 3, ids, labels);
  }

  /**
   * Peak resident memory, in bytes, of a fresh process that runs one training step of
   * {@code preset} at {@code batch} images in rounds of {@code batchGpu} (null: one round). The
   * process runs with glibc's mmap threshold fixed at 64 KiB, so that freed activation-sized
   * blocks go back to the system: by default glibc raises the threshold as blocks are freed and
   * keeps later ones on its heap, and over many rounds that heap, not the training, sets the peak
   * (BENCHMARKS.md gives both).
   */
  public static long peakMemory(TrainingSpec.Preset preset, int resolution, int batch, Integer batchGpu)
      throws IOException, InterruptedException {
    ProcessBuilder builder = ChildJvm.of(EdmMemoryProbe.class, preset.id(), Integer.toString(resolution),
        Integer.toString(batch), String.valueOf(batchGpu)).redirectErrorStream(false)
        .redirectError(ProcessBuilder.Redirect.DISCARD);
    builder.environment().put("MALLOC_MMAP_THRESHOLD_", "65536");
    ChildJvm.Ended probe = ChildJvm.run(builder, Duration.ofHours(1));
    if (probe.exitCode() != 0) {
      throw new IOException("memory probe for " + preset + " batch " + batch + " exited with " + probe.exitCode());
    }
    return Long.parseLong(probe.lastLine());
  }

  /** Images per second of the Heun sampler with {@code steps} steps, randomly initialised weights. */
  public static double samplingImagesPerSecond(TrainingSpec.Preset preset, int resolution, int labels, int batch,
      int steps) {
    SongUNet net = new SongUNet(NetworkConfig.preset(preset, resolution, 3, labels, 9));
    long[] counts = new long[labels];
    Arrays.fill(counts, 1);
    try (NDManager m = NDManager.newBaseManager()) {
      NetworkParameters params = NetworkParameters.initialise(net.layout(), m, 0);
      SampleGenerator g = new SampleGenerator(new EdmPrecond(net), params, new HeunSampler(steps, 0.002, 80, 7), counts,
          batch);
      long[] seeds = new long[batch];
      for (int i = 0; i < batch; i++) {
        seeds[i] = i;
      }
      try (NDManager warm = m.newSubManager()) {
        g.pixels(warm, new long[] {0});
      }
      long t = System.nanoTime();
      try (NDManager run = m.newSubManager()) {
        g.pixels(run, seeds);
      }
      return batch / ((System.nanoTime() - t) / 1e9);
    }
  }
}
