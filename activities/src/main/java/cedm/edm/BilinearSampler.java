package cedm.edm;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * torch.nn.functional.grid_sample(mode='bilinear', padding_mode='zeros', align_corners=False) for
 * an affine grid, built from gathers (DJL exposes no grid_sample). Each image has its own affine
 * map from output pixel (j, i) to input pixel coordinates (x, y).
 */
final class BilinearSampler {
  private BilinearSampler() {}

  /**
   * @param images [N, C, H, W]
   * @param affine [N, 2, 3]: (x, y) = affine @ (j, i, 1)
   */
  static NDArray sample(NDArray images, NDArray affine, int outH, int outW) {
    NDManager m = images.getManager();
    Shape s = images.getShape();
    long n = s.get(0);
    long c = s.get(1);
    long h = s.get(2);
    long w = s.get(3);
    float[] grid = new float[outH * outW * 3];
    for (int i = 0; i < outH; i++) {
      for (int j = 0; j < outW; j++) {
        int k = (i * outW + j) * 3;
        grid[k] = j;
        grid[k + 1] = i;
        grid[k + 2] = 1;
      }
    }
    NDArray coords = m.create(grid, new Shape(1, (long) outH * outW, 3)).matMul(affine.transpose(0, 2, 1));
    NDArray x = coords.get(":, :, 0");
    NDArray y = coords.get(":, :, 1");
    NDArray x0 = x.floor();
    NDArray y0 = y.floor();
    NDArray wx1 = x.sub(x0);
    NDArray wy1 = y.sub(y0);
    NDArray wx0 = wx1.neg().add(1);
    NDArray wy0 = wy1.neg().add(1);
    NDArray flat = images.reshape(n, c, h * w);
    NDArray out = corner(flat, x0, y0, wx0.mul(wy0), h, w, c);
    out = out.add(corner(flat, x0.add(1), y0, wx1.mul(wy0), h, w, c));
    out = out.add(corner(flat, x0, y0.add(1), wx0.mul(wy1), h, w, c));
    out = out.add(corner(flat, x0.add(1), y0.add(1), wx1.mul(wy1), h, w, c));
    return out.reshape(n, c, outH, outW);
  }

  /** One bilinear tap: the pixel at (xi, yi) times its weight, zero outside the image. */
  private static NDArray corner(NDArray flat, NDArray xi, NDArray yi, NDArray weight, long h, long w, long c) {
    NDArray inside = xi.gte(0).logicalAnd(xi.lte(w - 1)).logicalAnd(yi.gte(0)).logicalAnd(yi.lte(h - 1));
    NDArray index = yi.clip(0, h - 1).mul(w).add(xi.clip(0, w - 1)).toType(DataType.INT64, false);
    Shape is = index.getShape();
    NDArray gathered = flat.gather(index.reshape(is.get(0), 1, is.get(1)).repeat(1, c), 2);
    return gathered.mul(weight.mul(inside.toType(DataType.FLOAT32, false)).expandDims(1));
  }
}
