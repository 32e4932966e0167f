package cedm.doctor;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.util.cuda.CudaUtils;
import cedm.edm.GradientSelfCheck;
import cedm.eval.FrechetDistance;
import cedm.runtime.GpuList;
import cedm.spec.RuntimeSpec;
import cedm.workflow.StageOptions;
import java.io.IOException;
import java.lang.management.MemoryUsage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The compute a worker on this host would have: the PyTorch natives, every device and its memory, LAPACK. */
public final class EngineChecks {
  private EngineChecks() {}

  public static Check engine() {
    try {
      Engine engine = Engine.getEngine("PyTorch");
      int gpus = CudaUtils.getGpuCount();
      String flavour = gpus > 0 ? "CUDA " + CudaUtils.getCudaVersionString() + " natives, " + gpus + " GPU(s)"
          : "CPU natives (no CUDA device visible)";
      return Check.ok("engine", "DJL " + Engine.getDjlVersion() + ", PyTorch " + engine.getVersion() + ", " + flavour);
    } catch (RuntimeException | UnsatisfiedLinkError e) {
      return Check.fail("engine", "the PyTorch natives do not load: " + e.getMessage()
          + " (offline machines need ai.djl.pytorch:pytorch-native-* on the class path)");
    }
  }

  /** A row per device of {@code devices}; a CUDA id this host does not have fails. */
  public static List<Check> devices(List<Device> devices) {
    List<Check> checks = new ArrayList<>();
    int visible = CudaUtils.getGpuCount();
    for (Device d : devices) {
      String name = "device " + d;
      if (d.isGpu()) {
        if (d.getDeviceId() >= visible) {
          checks.add(Check.fail(name, "not visible: this host shows " + visible + " CUDA device(s) (CUDA_VISIBLE_DEVICES?)"));
          continue;
        }
        MemoryUsage memory = CudaUtils.getGpuMemory(d);
        checks.add(Check.ok(name, String.format(Locale.ROOT, "%s, %.1f GiB, %.1f GiB in use",
            "CUDA compute capability " + CudaUtils.getComputeCapability(d.getDeviceId()), memory.getMax() / GIB,
            memory.getUsed() / GIB)));
      } else {
        checks.add(Check.ok(name, String.format(Locale.ROOT, "%d cores, %.1f GiB memory available of %.1f GiB",
            Runtime.getRuntime().availableProcessors(), hostMemory("MemAvailable") / GIB, hostMemory("MemTotal") / GIB)));
      }
    }
    return checks;
  }

  /**
   * A row per distinct device: one EDM training step of a tiny network, its gradients against
   * PyTorch's reference ({@link GradientSelfCheck}); a device that computes them wrong fails.
   */
  public static List<Check> gradients(List<Device> devices) {
    List<Check> checks = new ArrayList<>();
    for (Device d : devices.stream().distinct().toList()) {
      String name = "gradients " + d;
      try {
        GradientSelfCheck.Result result = GradientSelfCheck.run(d);
        checks.add(result.passed() ? Check.ok(name, result.describe()) : Check.fail(name, result.describe()));
      } catch (RuntimeException e) {
        checks.add(Check.fail(name, "the gradient self-check did not run: " + e.getMessage()));
      }
    }
    return checks;
  }

  /**
   * runtime.gpus_per_trial against the devices of --gpus: a training wider than the worker's
   * devices goes to a queue that worker never polls, and would wait there for ever.
   */
  public static Check trialWidth(RuntimeSpec runtime, GpuList gpus) {
    String name = "runtime.gpus_per_trial";
    int need = runtime.gpusPerTrial();
    int have = gpus.slots();
    if (need > have) {
      return Check.fail(name, need + " devices per training, but --gpus " + gpus.text() + " gives " + have
          + ": a worker like this one never takes the trainings (queue "
          + StageOptions.gpuQueue(runtime.gpuQueue(), need) + "); give --gpus " + need + " devices (CUDA ids or cpu:"
          + need + ") or set runtime.gpus_per_trial: " + Math.max(1, have));
    }
    return Check.ok(name, need + " device(s) per training; --gpus " + gpus.text() + " gives " + have);
  }

  private static final double GIB = 1024.0 * 1024 * 1024;

  /** A field of /proc/meminfo in bytes; 0 where there is none. */
  static long hostMemory(String field) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
        if (line.startsWith(field + ":")) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
        }
      }
    } catch (IOException e) {
      return 0;
    }
    return 0;
  }

  /**
   * The LAPACK behind the Frechet distance: OpenBLAS's, whose natives come with cedm. It must load
   * and give the distance of a known pair, N(0, 4I) and N(1, I) in 8 dimensions: 8 (1 + 4 + 1 - 2 * 2) = 16.
   */
  public static Check lapack() {
    int d = 8;
    double[] zero = new double[d];
    double[] one = new double[d];
    double[] four = new double[d * d];
    double[] identity = new double[d * d];
    for (int i = 0; i < d; i++) {
      one[i] = 1;
      four[i * d + i] = 4;
      identity[i * d + i] = 1;
    }
    try {
      double distance = FrechetDistance.of(zero, four, one, identity);
      String evidence = String.format(Locale.ROOT, "%s; Frechet distance of a known pair %.9f (exact: 16)",
          FrechetDistance.lapack(), distance);
      return Math.abs(distance - 16) < 1e-9 ? Check.ok("lapack", evidence) : Check.fail("lapack", evidence);
    } catch (RuntimeException | LinkageError e) {
      return Check.fail("lapack", "OpenBLAS's natives do not load on this platform (" + e.getMessage()
          + "): the FID stage cannot run here (cedm bundles them for linux-x86_64)");
    }
  }
}
