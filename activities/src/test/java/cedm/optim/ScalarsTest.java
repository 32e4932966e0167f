package cedm.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;

/**
 * The constants of recorded arithmetic survive a garbage collection between forward and backward:
 * the collector runs and the freed native memory is refilled with NaN before backward reads what
 * the graph kept. DJL's own x.mul(3.0) fails this (its constant lives in a collected Java buffer).
 */
class ScalarsTest {
  private static float[] gradient(BiFunction<NDArray, Double, NDArray> op, double constant) {
    try (NDManager manager = NDManager.newBaseManager()) {
      NDArray x = manager.create(new float[] {1, 2, 3, 4}, new Shape(4));
      x.setRequiresGradient(true);
      NDArray y;
      JniUtils.setGradMode(true);
      try {
        y = op.apply(x, constant).sum();
      } finally {
        JniUtils.setGradMode(false);
      }
      poisonFreedNativeMemory();
      try (NDArray one = y.onesLike()) {
        JniUtils.backward((PtNDArray) y, (PtNDArray) one, false, false);
      }
      return x.getGradient().toFloatArray();
    }
  }

  /** Collects garbage (freeing unreachable direct buffers) and refills small native blocks with NaN. */
  private static void poisonFreedNativeMemory() {
    List<ByteBuffer> keep = new ArrayList<>();
    for (int round = 0; round < 3; round++) {
      System.gc();
      for (int i = 0; i < 2000; i++) {
        ByteBuffer b = ByteBuffer.allocateDirect(8).order(ByteOrder.nativeOrder());
        b.putDouble(0, Double.NaN);
        keep.add(b);
      }
    }
  }

  @Test
  void theConstantOfAProductOrQuotientOutlivesACollectionBeforeBackward() {
    float[] three = new float[4];
    Arrays.fill(three, 3f);
    assertArrayEquals(three, gradient(Scalars::mul, 3.0));
    float[] half = new float[4];
    Arrays.fill(half, 0.5f);
    assertArrayEquals(half, gradient(Scalars::div, 2.0));
    assertArrayEquals(new float[] {2, 4, 6, 8}, gradient(Scalars::pow, 2.0));
  }
}
