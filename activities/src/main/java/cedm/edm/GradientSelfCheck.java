package cedm.edm;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import cedm.io.Safetensors;
import cedm.optim.Autograd;
import cedm.optim.Scalars;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One EDM training step of a tiny network on a device, its gradients against PyTorch's own
 * (gradient_check.safetensors, made by fixtures/make_gradient_check.py with NVlabs/edm). A device
 * whose backward pass is wrong would train every model of a sweep wrongly and silently, as
 * libtorch's oneDNN did on an AMD EPYC (issue 25), so `cedm doctor` shows this check and a worker
 * does not start on a device that fails it.
 *
 * <p>The step runs {@link #REPEATS} times, each after freed memory has been filled with NaN, so a
 * backward that reads memory it never wrote gives NaN or a wrong value rather than, by luck, the
 * right one.
 */
public final class GradientSelfCheck {
  private static final String RESOURCE = "gradient_check.safetensors";
  /** The reference's network: 8x8, 3 channels, 2 labels, augment labels, 32 channels, one level. */
  static final NetworkConfig CONFIG = new NetworkConfig(8, 3, 2, 9, 32, List.of(1), 4, 1, List.of(), 0);
  static final int REPEATS = 3;
  /**
   * Largest relative error (per parameter, of its largest reference gradient) a right device shows:
   * float32 rounding in other kernels than the reference's is below 1e-5 on the CPU (measured), a GPU
   * may run convolutions in TF32 (10-bit mantissa, about 1e-3). The defect it guards against was 0.2 to 1.
   */
  static final double CPU_TOLERANCE = 1e-4;
  static final double GPU_TOLERANCE = 1e-2;

  /** The outcome on one device: the largest relative error over every parameter and repeat, and where. */
  public record Result(Device device, double worstError, String worstParameter, double tolerance) {
    public boolean passed() {
      return worstError <= tolerance;
    }

    /** One line for a person: the device, the error, and what it means. */
    public String describe() {
      String where = String.format(java.util.Locale.ROOT, "largest relative error %.3g in %s over %d steps (allowed %.0e)",
          worstError, worstParameter, REPEATS, tolerance);
      return passed() ? "gradients of a tiny EDM step equal PyTorch's reference on " + device + ": " + where
          : "gradients of a tiny EDM step on " + device + " differ from PyTorch's reference: " + where
              + "; training on this device would be silently wrong";
    }
  }

  /** Thrown when a worker's device fails the check, or the check cannot run there, naming the device and why. */
  public static final class FailedException extends RuntimeException {
    public FailedException(Result result) {
      super(result.describe());
    }

    FailedException(Device device, RuntimeException cause) {
      super("the gradient self-check could not run on " + device + ": " + cause.getMessage(), cause);
    }
  }

  private GradientSelfCheck() {}

  /** Runs the check on {@code device}. */
  public static Result run(Device device) {
    SongUNet net = new SongUNet(CONFIG);
    EdmPrecond precond = new EdmPrecond(net);
    double tolerance = device.isGpu() ? GPU_TOLERANCE : CPU_TOLERANCE;
    try (NDManager root = NDManager.newBaseManager(device)) {
      return run(device, root, net, precond, tolerance);
    } catch (IOException e) {
      throw new UncheckedIOException("cedm/edm/" + RESOURCE + " does not load", e);
    }
  }

  private static Result run(Device device, NDManager root, SongUNet net, EdmPrecond precond, double tolerance)
      throws IOException {
    Map<String, NDArray> fixture = read(root);
    Map<String, NDArray> weights = new LinkedHashMap<>();
    fixture.forEach((k, v) -> {
      if (k.startsWith("weight.")) {
        weights.put(k.substring("weight.".length()), v);
      }
    });
    NetworkParameters reference = NetworkParameters.of(net.layout(), weights, "cedm/edm/" + RESOURCE);
    NDArray images = fixture.get("images");
    double worst = 0;
    String worstName = "";
    for (int r = 0; r < REPEATS; r++) {
      try (NDManager step = root.newSubManager()) {
        fillFreedMemoryWithNan(step);
        NetworkParameters params = reference.copy(step);
        params.requireGradients();
        Autograd.backward(() -> Scalars.div(EdmLoss.perPixel(precond, params, images, fixture.get("labels"),
            fixture.get("augment_labels"), fixture.get("rnd_normal"), fixture.get("noise"), null).sum(),
            images.getShape().get(0)));
        for (Map.Entry<String, NDArray> e : params.values().entrySet()) {
          double error = relativeError(e.getValue().getGradient(), fixture.get("grad." + e.getKey()));
          // NaN stays the worst once seen.
          if (!Double.isNaN(worst) && (worstName.isEmpty() || !(error <= worst))) {
            worst = error;
            worstName = e.getKey();
          }
        }
      }
    }
    return new Result(device, worst, worstName, tolerance);
  }

  /** Runs the check on each device and throws for the first that fails. */
  public static void require(List<Device> devices) {
    for (Device d : devices.stream().distinct().toList()) {
      Result result;
      try {
        result = run(d);
      } catch (RuntimeException e) {
        throw new FailedException(d, e);
      }
      if (!result.passed()) {
        throw new FailedException(result);
      }
    }
  }

  /** max |g - ref| / max |ref|; NaN anywhere gives NaN. */
  static double relativeError(NDArray gradient, NDArray reference) {
    try (NDArray diff = gradient.sub(reference); NDArray absDiff = diff.abs(); NDArray worst = absDiff.max();
        NDArray absRef = reference.abs(); NDArray scale = absRef.max();
        NDArray nan = gradient.isNaN(); NDArray anyNan = nan.any()) {
      if (anyNan.getBoolean()) {
        return Double.NaN;
      }
      return worst.getFloat() / Math.max(scale.getFloat(), 1e-12);
    }
  }

  /**
   * Blocks from 4 KiB to 8 MiB, filled with NaN and freed, for the step's allocations to reuse
   * (glibc raises its mmap threshold to the size of each large block freed, so later ones of that
   * size come from the heap; CUDA's caching allocator keeps them all).
   */
  static void fillFreedMemoryWithNan(NDManager manager) {
    for (int log = 10; log <= 21; log++) {
      manager.full(new Shape(1L << log), Float.NaN).close();
    }
  }

  private static Map<String, NDArray> read(NDManager manager) throws IOException {
    try (InputStream in = GradientSelfCheck.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("cedm/edm/" + RESOURCE + " missing from the classpath");
      }
      return Safetensors.read(manager, in, "cedm/edm/" + RESOURCE);
    }
  }
}
