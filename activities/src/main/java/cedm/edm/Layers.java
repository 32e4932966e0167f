package cedm.edm;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
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

  /**
   * Same-size convolution with an odd square kernel, as EDM's Conv2d without resampling.
   *
   * <p>On the CPU, channel counts that are not whole {@link #ONEDNN_BLOCK}s are made whole with zero
   * channels (input channels of x and of the weights, output channels of the weights and the bias),
   * and the added output channels are dropped from the result: the same values, and the same
   * gradients for every real channel. libtorch 2.7.1's oneDNN (v3.7.1, jit:avx512_core) pads such
   * channels inside its blocked layouts itself, and on an AMD EPYC (Zen 5) its 3x3 kernels then
   * compute wrong results: the forward pass with more than 16 input channels (24, 40), and the input
   * gradient with output channels not a multiple of 16 (EDM's last convolution, 3 channels), which
   * reads memory it never wrote and is right or wrong from call to call (issue 25, ConvolutionTest).
   */
  static NDArray conv(NDArray x, NDArray w, NDArray b) {
    Shape ws = w.getShape();
    long addIn = Math.floorMod(-ws.get(1), ONEDNN_BLOCK);
    long addOut = Math.floorMod(-ws.get(0), ONEDNN_BLOCK);
    if (x.getDevice().isGpu() || addIn == 0 && addOut == 0) {
      return plainConv(x, w, b);
    }
    NDManager m = x.getManager();
    try (NDList made = new NDList()) {
      NDArray xs = x;
      NDArray weights = w;
      NDArray bias = b;
      if (addIn > 0) {
        Shape s = x.getShape();
        xs = keep(made, x.concat(keep(made, m.zeros(new Shape(s.get(0), addIn, s.get(2), s.get(3)), x.getDataType())), 1));
        weights = keep(made, w.concat(keep(made, m.zeros(new Shape(ws.get(0), addIn, ws.get(2), ws.get(3)), w.getDataType())), 1));
      }
      if (addOut > 0) {
        weights = keep(made, weights.concat(keep(made, m.zeros(new Shape(addOut, ws.get(1) + addIn, ws.get(2), ws.get(3)),
            w.getDataType())), 0));
        bias = b == null ? null : keep(made, b.concat(keep(made, m.zeros(new Shape(addOut), b.getDataType())), 0));
      }
      NDArray y = plainConv(xs, weights, bias);
      if (addOut == 0) {
        return y;
      }
      try (NDArray whole = y) {
        return whole.get(new NDIndex(":, 0:{}", ws.get(0)));
      }
    }
  }

  /** The channel block of oneDNN's f32 convolution kernels: 16 with AVX-512 (8 with AVX2). */
  static final long ONEDNN_BLOCK = 16;

  /** {@code a}, to be closed with {@code list} (autograd keeps what it needs). */
  private static NDArray keep(NDList list, NDArray a) {
    list.add(a);
    return a;
  }

  private static NDArray plainConv(NDArray x, NDArray w, NDArray b) {
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
