package cedm.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.function.BinaryOperator;

/**
 * Arithmetic with a constant, for code that autograd records. DJL's {@code x.mul(0.5)} wraps the
 * constant in a tensor on a Java direct buffer and closes it after the call; torch's backward keeps
 * that tensor (d(x*c)/dx = c) without owning its memory, so once the garbage collector frees the
 * buffer, gradients read freed memory: NaN or noise, at random, which made results differ between
 * runs. Here the constant is a tensor torch allocates and reference-counts.
 */
public final class Scalars {
  private Scalars() {}

  /**
   * {@code value} as a 0-dim tensor of {@code like}'s type and device, owned by torch: torch's
   * full() for float32 and narrower (as torch rounds a Python scalar), a clone for float64, whose
   * exact value only a Java-made tensor holds (DJL's toType of the same type would alias it).
   */
  public static NDArray of(NDArray like, double value) {
    if (like.getDataType() != DataType.FLOAT64) {
      return like.getManager().full(new Shape(), (float) value, like.getDataType());
    }
    try (NDArray onJavaMemory = like.getManager().create(value)) {
      return onJavaMemory.duplicate();
    }
  }

  public static NDArray mul(NDArray x, double value) {
    return with(x, value, NDArray::mul);
  }

  public static NDArray div(NDArray x, double value) {
    return with(x, value, NDArray::div);
  }

  public static NDArray add(NDArray x, double value) {
    return with(x, value, NDArray::add);
  }

  /** {@code value / x}. */
  public static NDArray rdiv(double value, NDArray x) {
    return with(x, value, (array, constant) -> constant.div(array));
  }

  public static NDArray pow(NDArray x, double value) {
    return with(x, value, NDArray::pow);
  }

  public static NDArray maximum(NDArray x, double value) {
    return with(x, value, NDArray::maximum);
  }

  /** {@code op(x, value)}, the constant's handle closed after (torch keeps its storage while it needs it). */
  private static NDArray with(NDArray x, double value, BinaryOperator<NDArray> op) {
    try (NDArray constant = of(x, value)) {
      return op.apply(x, constant);
    }
  }
}
