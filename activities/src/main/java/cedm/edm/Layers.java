package cedm.edm;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.pooling.Pool;

/** The functional layers of edm:training/networks.py, on DJL arrays in NCHW layout. */
final class Layers {
  private Layers() {}

  /** {@code x @ w.T + b} with w [out, in]; b may be null. */
  static NDArray linear(NDArray x, NDArray w, NDArray b) {
    try (NDArray wt = w.transpose()) {
      NDArray y = x.matMul(wt);
      return b == null ? y : then(y, y.add(b));
    }
  }

  /**
   * Returns {@code updated} and releases {@code old}, an intermediate nothing else holds. DJL keeps
   * every array of a step's scope alive until the step ends, so a forward pass that does not
   * release its intermediates holds all of them through backward (PyTorch frees them as Python
   * drops them). Autograd keeps what it needs regardless of the handle.
   */
  static NDArray then(NDArray old, NDArray updated) {
    if (old != updated) {
      old.close();
    }
    return updated;
  }

  /** Same-size convolution with an odd square kernel, as EDM's Conv2d without resampling. */
  static NDArray conv(NDArray x, NDArray w, NDArray b) {
    long pad = w.getShape().get(3) / 2;
    return Conv2d.conv2d(x, w, b, new Shape(1, 1), new Shape(pad, pad), new Shape(1, 1), 1).singletonOrThrow();
  }

  /** EDM's downsampling with resample_filter [1,1]: the filter outer(f,f)/4 at stride 2 is a 2x2 mean. */
  static NDArray down(NDArray x) {
    return Pool.avgPool2d(x, new Shape(2, 2), new Shape(2, 2), new Shape(0, 0), false, true);
  }

  /** EDM's upsampling with resample_filter [1,1]: a transposed conv with ones(2,2), i.e. nearest. */
  static NDArray up(NDArray x) {
    try (NDArray rows = x.repeat(2, 2)) {
      return rows.repeat(3, 2);
    }
  }

  static long groups(long channels) {
    return Math.min(32, channels / 4);
  }

  static NDArray silu(NDArray x) {
    return TorchOps.silu(x);
  }
}
