package cedm.edm;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * The random numbers AugmentPipe consumes, in the reference's order and shapes. Training draws
 * from torch's generator (seeded per step); tests replay the draws the reference made.
 */
public interface AugmentDraws {
  /** Uniform [0, 1). */
  NDArray rand(NDManager manager, Shape shape);

  /** Standard normal. */
  NDArray randn(NDManager manager, Shape shape);

  /** Integers in [0, high), as float32. */
  NDArray randint(NDManager manager, long high, Shape shape);

  /** Draws from torch's global generator on the manager's device. */
  static AugmentDraws torch() {
    return new AugmentDraws() {
      @Override
      public NDArray rand(NDManager manager, Shape shape) {
        return manager.randomUniform(0, 1, shape);
      }

      @Override
      public NDArray randn(NDManager manager, Shape shape) {
        return manager.randomNormal(shape);
      }

      @Override
      public NDArray randint(NDManager manager, long high, Shape shape) {
        return manager.randomInteger(0, high, shape, DataType.INT64).toType(DataType.FLOAT32, false);
      }
    };
  }
}
