package cedm.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import java.util.function.Supplier;

/**
 * Records a computation and back-propagates it, with torch's thread-local grad mode. DJL's
 * GradientCollector allows one collector per process (a static flag), so two trainings, or two
 * replicas of one, could not record at once on different threads.
 */
public final class Autograd {
  private Autograd() {}

  /**
   * Runs {@code forward} with gradients recorded, then accumulates d(result)/d(parameter) into each
   * parameter's gradient, as torch's backward does; grad mode is off again afterwards.
   */
  public static NDArray backward(Supplier<NDArray> forward) {
    JniUtils.setGradMode(true);
    try {
      NDArray scalar = forward.get();
      try (NDArray one = scalar.onesLike()) {
        JniUtils.backward((PtNDArray) scalar, (PtNDArray) one, false, false);
      }
      return scalar;
    } finally {
      JniUtils.setGradMode(false);
    }
  }
}
