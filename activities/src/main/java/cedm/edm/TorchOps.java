package cedm.edm;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.IValueUtils;
import ai.djl.pytorch.jni.JniUtils;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * torch's native group_norm and silu, which DJL's PyTorch engine does not expose, as methods of a
 * weightless TorchScript module ({@code torch_ops.pt}, written by fixtures/make_torch_ops.py).
 * Autograd records them like any other op, and their backward keeps only the inputs alive, where a
 * layer norm plus affine and x * sigmoid(x) each kept one more activation-sized tensor.
 *
 * <p>The group norm is EDM's: min(32, C/4) groups, eps 1e-6 (the module fixes both, as DJL passes
 * a method that records gradients tensors only).
 */
final class TorchOps {
  private static final String RESOURCE = "torch_ops.pt";
  /** DJL's marker: an input named so selects the module's method instead of forward. */
  private static final String METHOD = "module_method:";
  private static final PtSymbolBlock MODULE = load();

  private TorchOps() {}

  private static PtSymbolBlock load() {
    // The module owns no tensors; the manager only anchors its native handle for the process's life, on
    // the CPU so that no GPU the worker was not given (DJL's default is gpu(0)) is touched.
    PtNDManager manager = (PtNDManager) NDManager.newBaseManager(Device.cpu());
    try (InputStream in = TorchOps.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("cedm/edm/" + RESOURCE + " missing from the classpath");
      }
      return JniUtils.loadModule(manager, in, false, false);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** EDM's GroupNorm(x) with the per-channel affine. */
  static NDArray groupNorm(NDArray x, NDArray weight, NDArray bias) {
    return call("group_norm", x, weight, bias);
  }

  /** silu(GroupNorm(x)), the pair that opens every UNet block. */
  static NDArray groupNormSilu(NDArray x, NDArray weight, NDArray bias) {
    return call("group_norm_silu", x, weight, bias);
  }

  static NDArray silu(NDArray x) {
    return call("silu", x);
  }

  private static NDArray call(String method, NDArray... args) {
    NDList views = new NDList(args.length);
    // zeros, not create(0f): no copy from the host, which would wait for a GPU on every call.
    try (NDArray marker = args[0].getManager().zeros(new Shape())) {
      marker.setName(METHOD + method);
      NDList inputs = new NDList(args.length + 1);
      inputs.add(marker);
      for (NDArray a : args) {
        // DJL reads a dotted name (a parameter's) as a dict entry: pass an unnamed view instead.
        if (a.getName() == null) {
          inputs.add(a);
        } else {
          NDArray view = a.reshape(a.getShape());
          views.add(view);
          inputs.add(view);
        }
      }
      // isTrain true: the method runs with autograd as the calling thread has it, not in inference mode.
      return IValueUtils.forward(MODULE, inputs, true).singletonOrThrow();
    } finally {
      views.close();
    }
  }
}
