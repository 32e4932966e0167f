package cedm.edm;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * The random numbers AugmentPipe consumes, in the reference's order and shapes. Training draws
 * each image's from a stream of its own ({@link ImageDraws#augment}); tests replay the draws the
 * reference made.
 */
public interface AugmentDraws {
  /** Uniform [0, 1). */
  NDArray rand(NDManager manager, Shape shape);

  /** Standard normal. */
  NDArray randn(NDManager manager, Shape shape);

  /** Integers in [0, high), as float32. */
  NDArray randint(NDManager manager, long high, Shape shape);
}
