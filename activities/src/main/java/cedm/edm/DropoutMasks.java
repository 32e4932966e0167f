package cedm.edm;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.types.Shape;
import cedm.optim.Scalars;
import java.util.List;

/**
 * The keep-masks of every dropout layer of one forward pass, drawn per image ({@link ImageDraws})
 * so that an image's dropout does not depend on which batch or round it is in. Applied as
 * where(keep, x / (1 - p), 0): backward keeps only the boolean mask, as torch's fused dropout does.
 */
public final class DropoutMasks {
  private final NDArray keep;
  private final List<Shape> layers;
  private final long[] offsets;
  private final double p;

  /**
   * @param keep boolean [B, L]: each image's keep flags for all layers, layer after layer
   * @param layers each dropout layer's per-image shape [C, H, W], in forward order
   */
  DropoutMasks(NDArray keep, List<Shape> layers, double p) {
    this.keep = keep;
    this.layers = layers;
    this.p = p;
    this.offsets = new long[layers.size() + 1];
    for (int i = 0; i < layers.size(); i++) {
      offsets[i + 1] = offsets[i] + layers.get(i).size();
    }
  }

  /** Elements per image over all layers: the length of one image's draw. */
  static long elements(List<Shape> layers) {
    return layers.stream().mapToLong(Shape::size).sum();
  }

  /** Boolean [B, L]: each image's keep flags for all layers, layer after layer. */
  NDArray keep() {
    return keep;
  }

  NDArray apply(int layer, NDArray x) {
    Shape s = layers.get(layer);
    try (NDArray flat = keep.get(":, {}:{}", offsets[layer], offsets[layer + 1]);
        NDArray mask = flat.reshape(x.getShape().get(0), s.get(0), s.get(1), s.get(2));
        NDArray scaled = Scalars.mul(x, 1 / (1 - p));
        NDArray zero = x.getManager().zeros(new Shape())) {
      return NDArrays.where(mask, scaled, zero);
    }
  }
}
