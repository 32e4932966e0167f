package cedm.doctor;

import ai.djl.Device;
import ai.djl.util.cuda.CudaUtils;
import cedm.bench.TrainingProbe;
import cedm.spec.ExperimentSpec;
import cedm.spec.TrainingSpec;
import java.util.Locale;

/**
 * A few training steps of the spec's network on a device, at two batch sizes, each in a fresh
 * process: images per second, and memory as a fixed part plus a part per image, from which the
 * largest batch_gpu that fits the device follows.
 */
public final class TrainingFit {
  /** Of the device's memory, what training may plan to use: the rest absorbs fragmentation and the sampler. */
  private static final double USABLE = 0.9;
  private static final int STEPS = 3;

  private TrainingFit() {}

  public static Check check(ExperimentSpec spec, Device device) {
    TrainingSpec training = spec.training();
    int resolution = spec.imageResolution();
    int perDevice = training.batchSize() / Math.max(1, spec.runtime().gpusPerTrial());
    int asked = training.batchGpu() == null ? perDevice : Math.min(training.batchGpu(), perDevice);
    int small = device.isGpu() ? 8 : 2;
    String name = "training on " + device;
    try {
      String id = device.isGpu() ? Integer.toString(device.getDeviceId()) : "cpu";
      TrainingProbe.Result a = TrainingProbe.measure(training, resolution, 10, small, id, STEPS);
      TrainingProbe.Result b = TrainingProbe.measure(training, resolution, 10, 2 * small, id, STEPS);
      double perImage = Math.max(1, (double) (b.peakBytes() - a.peakBytes()) / small);
      double fixed = a.peakBytes() - perImage * small;
      long memory = device.isGpu() ? CudaUtils.getGpuMemory(device).getMax() : EngineChecks.hostMemory("MemAvailable");
      long fits = (long) Math.floor((memory * USABLE - fixed) / perImage);
      String evidence = String.format(Locale.ROOT, "%s %dpx: %.1f images/s at batch %d; %.0f MB + %.2f MB per image, "
          + "so batch_gpu up to %,d fits %.1f GiB (the spec asks %d per device)", training.preset().id(), resolution,
          b.imagesPerSecond(), 2 * small, fixed / 1e6, perImage / 1e6, Math.max(0, fits), memory / (1024.0 * 1024 * 1024),
          asked);
      if (fits < 1) {
        return Check.fail(name, evidence);
      }
      return fits >= asked ? Check.ok(name, evidence)
          : Check.warn(name, evidence + "; set training.batch_gpu to a divisor of " + perDevice + " up to " + fits);
    } catch (Exception e) {
      return Check.fail(name, e.getMessage());
    }
  }
}
