package cedm.memory;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * One direct buffer that a network's successive float inputs are written into. DJL copies a Java
 * array into a new direct buffer per tensor, which stays allocated until a garbage collection:
 * batch after batch of those held hundreds of MB outside the heap. A direct buffer DJL wraps as
 * it is (on the CPU the tensor reads it in place), so each input must be closed before the next
 * {@link #wrap} overwrites it.
 */
public final class InputBuffer {
  private ByteBuffer buffer;

  /** {@code values} as a float32 tensor of {@code shape} in {@code manager}, in this buffer. */
  public NDArray wrap(NDManager manager, float[] values, Shape shape) {
    int bytes = Math.multiplyExact(values.length, Float.BYTES);
    if (buffer == null || buffer.capacity() < bytes) {
      buffer = ByteBuffer.allocateDirect(bytes).order(ByteOrder.nativeOrder());
    }
    buffer.clear();
    buffer.asFloatBuffer().put(values);
    buffer.limit(bytes);
    return manager.create(buffer, shape, DataType.FLOAT32);
  }
}
