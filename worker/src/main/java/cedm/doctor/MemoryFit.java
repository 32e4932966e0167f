package cedm.doctor;

import ai.djl.Device;
import ai.djl.util.cuda.CudaUtils;
import cedm.data.ImageSource;
import cedm.data.ImageSources;
import cedm.memory.NetworkProbe;
import cedm.memory.StageFootprint;
import cedm.memory.StageFootprint.Prediction;
import cedm.spec.ExperimentSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Every stage's predicted peak memory on a device (the memory model of {@link StageFootprint}, the
 * networks measured by {@link NetworkProbe}) against what the device and the host have: a FAIL
 * names the spec field that sizes the stage.
 */
public final class MemoryFit {
  /** Of a memory, what one stage may plan to use: the rest absorbs fragmentation and the JVM's heap slack. */
  private static final double USABLE = 0.9;

  private MemoryFit() {}

  /** Probes the spec's networks on {@code device} and checks every stage there. */
  public static List<Check> check(ExperimentSpec spec, Device device) {
    String id = device.isGpu() ? Integer.toString(device.getDeviceId()) : "cpu";
    int images;
    try (ImageSource source = ImageSources.open(spec.dataset(), spec.seed())) {
      images = source.entries(ImageSource.Split.TRAIN).size();
      if (spec.dataset().maxImages() != null) {
        images = Math.min(images, spec.dataset().maxImages());
      }
    } catch (Exception e) {
      return List.of(Check.warn("memory on " + device, "not predicted: the training images cannot be counted ("
          + e.getMessage() + ")"));
    }
    try {
      NetworkProbe.Result networks = NetworkProbe.measure(spec, id);
      long deviceMemory = device.isGpu() ? CudaUtils.getGpuMemory(device).getMax() : 0;
      return rows(StageFootprint.predict(spec, images, networks), device, EngineChecks.hostMemory("MemAvailable"),
          deviceMemory);
    } catch (Exception e) {
      return List.of(Check.fail("memory on " + device, "the network memory probe failed: " + e.getMessage()));
    }
  }

  /**
   * One row per prediction: on the CPU its whole against the host's available memory; on a GPU its
   * networks' part against the device's memory and the rest against the host's.
   */
  static List<Check> rows(List<Prediction> predictions, Device device, long hostAvailable, long deviceMemory) {
    List<Check> out = new ArrayList<>();
    for (Prediction p : predictions) {
      String name = p.stage() + " on " + device;
      long host = device.isGpu() ? p.hostBytes() : p.bytes();
      StringBuilder evidence = new StringBuilder(String.format(Locale.ROOT, "%s: %.2f GB predicted", p.what(),
          (device.isGpu() ? p.deviceBytes() : host) / 1e9));
      boolean fits = host <= USABLE * hostAvailable;
      if (device.isGpu()) {
        evidence.append(String.format(Locale.ROOT, " of %.1f GB on the device, %.2f GB on the host", deviceMemory / 1e9,
            host / 1e9));
        fits &= p.deviceBytes() <= USABLE * deviceMemory;
      }
      evidence.append(String.format(Locale.ROOT, " (%.1f GB available on the host)", hostAvailable / 1e9));
      out.add(fits ? Check.ok(name, evidence.toString())
          : Check.fail(name, evidence + "; reduce " + p.field() + " until it fits"));
    }
    return out;
  }
}
