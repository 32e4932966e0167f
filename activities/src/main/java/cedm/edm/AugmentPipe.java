package cedm.edm;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;

/**
 * EDM's augmentation pipeline (edm:training/augment.py) with the transforms EDM trains with:
 * x-flip (multiplier 1e8, so a fair coin), y-flip, isotropic scale, fractional rotation,
 * anisotropic scale and fractional translation, each applied with probability p. Returns the
 * augmented images and the 9-dim augment labels the network is conditioned on.
 *
 * <p>The geometric part runs as the reference does: reflect-pad, 2x upsample with the sym6
 * wavelet, bilinear resampling through the composed inverse transform, sym6 downsample, crop.
 * Per-image transform matrices are composed on the host in double; pixels stay on the device.
 */
public final class AugmentPipe {
  private static final double XFLIP = 1e8;
  private static final double SCALE_STD = 0.2;
  private static final double ROTATE_FRAC_MAX = 1;
  private static final double ANISO_STD = 0.2;
  private static final double ANISO_ROTATE_PROB = 0.5;
  private static final double TRANSLATE_FRAC_STD = 0.125;
  private static final double[] SYM6 = {0.015404109327027373, 0.0034907120842174702, -0.11799011114819057,
      -0.048311742585633, 0.4910559419267466, 0.787641141030194, 0.3379294217276218, -0.07263752278646252,
      -0.021060292512300564, 0.04472490177066578, 0.0017677118642428036, -0.007800708325034148};
  private static final int HZ_PAD = SYM6.length / 4;

  public record Result(NDArray images, NDArray labels) {}

  private final double p;

  public AugmentPipe(double p) {
    this.p = p;
  }

  public Result apply(NDArray images, AugmentDraws draws) {
    NDManager m = images.getManager();
    Shape s = images.getShape();
    int n = Math.toIntExact(s.get(0));
    int h = Math.toIntExact(s.get(2));
    int w = Math.toIntExact(s.get(3));
    float[][] labels = new float[n][NetworkConfig.AUGMENT_DIM];

    float[] xflip = coinFlips(m, draws, n, XFLIP * p);
    images = flip(images, xflip, 3);
    float[] yflip = coinFlips(m, draws, n, p);
    images = flip(images, yflip, 2);

    double[][] gInv = new double[n][];
    for (int i = 0; i < n; i++) {
      gInv[i] = Affine.identity();
      labels[i][0] = xflip[i];
      labels[i][1] = yflip[i];
    }
    float[] scale = gated(draws.randn(m, new Shape(n)).toFloatArray(), draws.rand(m, new Shape(n)).toFloatArray(), p);
    float[] rot = draws.rand(m, new Shape(n)).toFloatArray();
    float[] rotGate = draws.rand(m, new Shape(n)).toFloatArray();
    float[] aniso = draws.randn(m, new Shape(n)).toFloatArray();
    float[] anisoAngle = draws.rand(m, new Shape(n)).toFloatArray();
    float[] anisoGate = draws.rand(m, new Shape(n)).toFloatArray();
    float[] anisoAngleGate = draws.rand(m, new Shape(n)).toFloatArray();
    float[] translate = draws.randn(m, new Shape(2, n)).toFloatArray();
    float[] translateGate = draws.rand(m, new Shape(1, n)).toFloatArray();
    for (int i = 0; i < n; i++) {
      double sc = Math.pow(2, scale[i] * SCALE_STD);
      gInv[i] = Affine.mul(gInv[i], Affine.scale(1 / sc, 1 / sc));
      labels[i][2] = scale[i];

      double theta = rotGate[i] < p ? (rot[i] * 2.0 - 1) * (Math.PI * ROTATE_FRAC_MAX) : 0;
      gInv[i] = Affine.mul(gInv[i], Affine.rotate(theta));
      labels[i][3] = (float) (Math.cos(theta) - 1);
      labels[i][4] = (float) Math.sin(theta);

      double a = anisoGate[i] < p ? aniso[i] : 0;
      double r = anisoAngleGate[i] < ANISO_ROTATE_PROB ? (anisoAngle[i] * 2.0 - 1) * Math.PI : 0;
      double as = Math.pow(2, a * ANISO_STD);
      gInv[i] = Affine.mul(gInv[i], Affine.mul(Affine.rotate(-r), Affine.mul(Affine.scale(1 / as, as), Affine.rotate(r))));
      labels[i][5] = (float) (a * Math.cos(r));
      labels[i][6] = (float) (a * Math.sin(r));

      boolean moved = translateGate[i] < p;
      double tx = moved ? translate[i] : 0;
      double ty = moved ? translate[n + i] : 0;
      gInv[i] = Affine.mul(gInv[i], Affine.translate(-tx * w * TRANSLATE_FRAC_STD, -ty * h * TRANSLATE_FRAC_STD));
      labels[i][7] = (float) tx;
      labels[i][8] = (float) ty;
    }
    NDArray out = geometric(images, gInv, h, w);
    return new Result(out, m.create(labels));
  }

  /** torch.where(rand < prob, randint(2), 0) per image. */
  private static float[] coinFlips(NDManager m, AugmentDraws draws, int n, double prob) {
    float[] coin = draws.randint(m, 2, new Shape(n, 1, 1, 1)).toFloatArray();
    float[] gate = draws.rand(m, new Shape(n, 1, 1, 1)).toFloatArray();
    float[] out = new float[n];
    for (int i = 0; i < n; i++) {
      out[i] = gate[i] < prob ? coin[i] : 0;
    }
    return out;
  }

  private static float[] gated(float[] values, float[] gate, double prob) {
    float[] out = new float[values.length];
    for (int i = 0; i < values.length; i++) {
      out[i] = gate[i] < prob ? values[i] : 0;
    }
    return out;
  }

  private static NDArray flip(NDArray images, float[] which, int axis) {
    NDArray mask = images.getManager().create(which, new Shape(which.length, 1, 1, 1)).eq(1).broadcast(images.getShape());
    return NDArrays.where(mask, images.flip(axis), images);
  }

  private NDArray geometric(NDArray images, double[][] gInv, int h, int w) {
    NDManager m = images.getManager();
    int n = gInv.length;
    int c = Math.toIntExact(images.getShape().get(1));
    double cx = (w - 1) / 2.0;
    double cy = (h - 1) / 2.0;
    double[] margin = {Double.NEGATIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.NEGATIVE_INFINITY,
        Double.NEGATIVE_INFINITY};
    double[][] corners = {{-cx, -cy}, {cx, -cy}, {cx, cy}, {-cx, cy}};
    for (double[] g : gInv) {
      for (double[] q : corners) {
        double[] t = Affine.apply(g, q[0], q[1]);
        margin[0] = Math.max(margin[0], -t[0]);
        margin[1] = Math.max(margin[1], -t[1]);
        margin[2] = Math.max(margin[2], t[0]);
        margin[3] = Math.max(margin[3], t[1]);
      }
    }
    int[] pad = new int[4];
    for (int k = 0; k < 4; k++) {
      double centre = k % 2 == 0 ? cx : cy;
      double limit = k % 2 == 0 ? w - 1 : h - 1;
      pad[k] = (int) Math.ceil(Math.min(Math.max(margin[k] + HZ_PAD * 2 - centre, 0), limit));
    }
    int mx0 = pad[0];
    int my0 = pad[1];
    int mx1 = pad[2];
    int my1 = pad[3];
    images = reflectPad(images, 3, mx0, mx1);
    images = reflectPad(images, 2, my0, my1);
    double[] shift = Affine.translate((mx0 - mx1) / 2.0, (my0 - my1) / 2.0);

    images = upsample(images, c, n);
    int upH = Math.toIntExact(images.getShape().get(2));
    int upW = Math.toIntExact(images.getShape().get(3));
    int outH = (h + HZ_PAD * 2) * 2;
    int outW = (w + HZ_PAD * 2) * 2;
    float[] coefficients = new float[n * 6];
    for (int i = 0; i < n; i++) {
      double[] g = Affine.mul(shift, gInv[i]);
      g = Affine.mul(Affine.mul(Affine.scale(2, 2), g), Affine.scale(0.5, 0.5));
      g = Affine.mul(Affine.mul(Affine.translate(-0.5, -0.5), g), Affine.translate(0.5, 0.5));
      g = Affine.mul(Affine.mul(Affine.scale(2.0 / upW, 2.0 / upH), g), Affine.scale(outW / 2.0, outH / 2.0));
      // Output pixel (j, i) -> normalised grid point (align_corners=False) -> theta -> input pixel.
      double[] toGrid = {2.0 / outW, 0, 1.0 / outW - 1, 0, 2.0 / outH, 1.0 / outH - 1, 0, 0, 1};
      double[] toPixel = {upW / 2.0, 0, (upW - 1) / 2.0, 0, upH / 2.0, (upH - 1) / 2.0, 0, 0, 1};
      double[] full = Affine.mul(toPixel, Affine.mul(g, toGrid));
      for (int k = 0; k < 6; k++) {
        coefficients[i * 6 + k] = (float) full[k];
      }
    }
    NDArray sampled = BilinearSampler.sample(images, m.create(coefficients, new Shape(n, 2, 3)), outH, outW);
    return downsample(sampled, c);
  }

  /** Reflect padding along one axis (torch's 'reflect': the edge pixel is not repeated). */
  private static NDArray reflectPad(NDArray x, int axis, int before, int after) {
    if (before == 0 && after == 0) {
      return x;
    }
    int size = Math.toIntExact(x.getShape().get(axis));
    long[] index = new long[size + before + after];
    for (int k = 0; k < index.length; k++) {
      int src = Math.abs(k - before);
      index[k] = src >= size ? 2L * (size - 1) - src : src;
    }
    NDArray idx = x.getManager().create(index);
    return x.get(new NDIndex(axis == 3 ? ":, :, :, {}" : ":, :, {}, :", idx));
  }

  /** Zero-interleave then filter with the reversed sym6 taps, first along x, then along y. */
  private static NDArray upsample(NDArray x, int c, int n) {
    NDManager m = x.getManager();
    long h = x.getShape().get(2);
    long w = x.getShape().get(3);
    float[] reversed = new float[SYM6.length];
    for (int k = 0; k < SYM6.length; k++) {
      reversed[k] = (float) SYM6[SYM6.length - 1 - k];
    }
    int pad = (SYM6.length + 1) / 2;
    NDArray taps = m.create(reversed);
    x = NDArrays.stack(new NDList(x, x.zerosLike()), 4).reshape(n, c, h, w * 2).get(":, :, :, :-1");
    x = depthwise(x, taps.reshape(1, 1, 1, -1).repeat(0, c), new Shape(1, 1), new Shape(0, pad), c);
    long w2 = x.getShape().get(3);
    x = NDArrays.stack(new NDList(x, x.zerosLike()), 3).reshape(n, c, h * 2, w2).get(":, :, :-1, :");
    return depthwise(x, taps.reshape(1, 1, -1, 1).repeat(0, c), new Shape(1, 1), new Shape(pad, 0), c);
  }

  /** Filter with the sym6 taps at stride 2 along x, then y, and crop the padding. */
  private static NDArray downsample(NDArray x, int c) {
    float[] taps = new float[SYM6.length];
    for (int k = 0; k < SYM6.length; k++) {
      taps[k] = (float) SYM6[k];
    }
    int pad = (SYM6.length - 1) / 2;
    NDArray t = x.getManager().create(taps);
    x = depthwise(x, t.reshape(1, 1, 1, -1).repeat(0, c), new Shape(1, 2), new Shape(0, pad), c);
    x = x.get(new NDIndex(":, :, :, {}:{}", HZ_PAD, x.getShape().get(3) - HZ_PAD));
    x = depthwise(x, t.reshape(1, 1, -1, 1).repeat(0, c), new Shape(2, 1), new Shape(pad, 0), c);
    return x.get(new NDIndex(":, :, {}:{}, :", HZ_PAD, x.getShape().get(2) - HZ_PAD));
  }

  private static NDArray depthwise(NDArray x, NDArray weight, Shape stride, Shape pad, int groups) {
    return Conv2d.conv2d(x, weight, null, stride, pad, new Shape(1, 1), groups).singletonOrThrow();
  }

  /** Row-major 3x3 homogeneous 2-D transforms, as augment.py's matrix helpers. */
  static final class Affine {
    private Affine() {}

    static double[] identity() {
      return new double[] {1, 0, 0, 0, 1, 0, 0, 0, 1};
    }

    static double[] scale(double sx, double sy) {
      return new double[] {sx, 0, 0, 0, sy, 0, 0, 0, 1};
    }

    static double[] translate(double tx, double ty) {
      return new double[] {1, 0, tx, 0, 1, ty, 0, 0, 1};
    }

    static double[] rotate(double theta) {
      double cos = Math.cos(theta);
      double sin = Math.sin(theta);
      return new double[] {cos, -sin, 0, sin, cos, 0, 0, 0, 1};
    }

    static double[] mul(double[] a, double[] b) {
      double[] out = new double[9];
      for (int i = 0; i < 3; i++) {
        for (int j = 0; j < 3; j++) {
          out[i * 3 + j] = a[i * 3] * b[j] + a[i * 3 + 1] * b[3 + j] + a[i * 3 + 2] * b[6 + j];
        }
      }
      return out;
    }

    static double[] apply(double[] g, double x, double y) {
      return new double[] {g[0] * x + g[1] * y + g[2], g[3] * x + g[4] * y + g[5]};
    }
  }
}
