package cedm.features;

/**
 * PIL's bicubic resize of 8-bit RGB images ({@code Image.resize(size, Image.BICUBIC)}), replicated
 * to the bit: the same filter (a = -0.5, support widened when shrinking, i.e. antialiased), the
 * same 22-bit fixed-point coefficients, horizontal pass first with the intermediate rounded and
 * clipped to 8 bits, then the vertical pass. TEMI and dgm-eval preprocess with exactly this, so
 * features computed here see the pixels the reference code sees.
 */
public final class PilResize {
  private static final int PRECISION_BITS = 32 - 8 - 2;
  private static final double A = -0.5;
  private static final double SUPPORT = 2.0;

  /** Coefficients of one axis: for each output index, first input index, tap count and weights. */
  record Coefficients(int[] first, int[] count, int[][] weights) {}

  private final Coefficients horizontal;
  private final Coefficients vertical;
  private final int inW;
  private final int inH;
  private final int outW;
  private final int outH;

  public PilResize(int inW, int inH, int outW, int outH) {
    this.inW = inW;
    this.inH = inH;
    this.outW = outW;
    this.outH = outH;
    this.horizontal = coefficients(inW, outW);
    this.vertical = coefficients(inH, outH);
  }

  /** torchvision's {@code Resize(size)}: the shorter side becomes {@code size}, aspect kept. */
  public static PilResize shorterSide(int inW, int inH, int size) {
    if (inW <= inH) {
      return new PilResize(inW, inH, size, (int) ((long) size * inH / inW));
    }
    return new PilResize(inW, inH, (int) ((long) size * inW / inH), size);
  }

  public int outWidth() {
    return outW;
  }

  public int outHeight() {
    return outH;
  }

  static double bicubic(double x) {
    x = Math.abs(x);
    if (x < 1.0) {
      return ((A + 2.0) * x - (A + 3.0)) * x * x + 1;
    }
    if (x < 2.0) {
      return (((x - 5) * x + 8) * x - 4) * A;
    }
    return 0.0;
  }

  static Coefficients coefficients(int inSize, int outSize) {
    double scale = (double) inSize / outSize;
    double filterScale = Math.max(scale, 1.0);
    double support = SUPPORT * filterScale;
    int[] first = new int[outSize];
    int[] count = new int[outSize];
    int[][] weights = new int[outSize][];
    for (int xx = 0; xx < outSize; xx++) {
      double center = (xx + 0.5) * scale;
      double ss = 1.0 / filterScale;
      int xmin = Math.max((int) (center - support + 0.5), 0);
      int xmax = Math.min((int) (center + support + 0.5), inSize) - xmin;
      double[] k = new double[xmax];
      double ww = 0;
      for (int x = 0; x < xmax; x++) {
        k[x] = bicubic((x + xmin - center + 0.5) * ss);
        ww += k[x];
      }
      int[] fixed = new int[xmax];
      for (int x = 0; x < xmax; x++) {
        double w = ww != 0.0 ? k[x] / ww : k[x];
        fixed[x] = (int) (w < 0 ? -0.5 + w * (1 << PRECISION_BITS) : 0.5 + w * (1 << PRECISION_BITS));
      }
      first[xx] = xmin;
      count[xx] = xmax;
      weights[xx] = fixed;
    }
    return new Coefficients(first, count, weights);
  }

  private static int clip8(int value) {
    int v = value >> PRECISION_BITS;
    return v < 0 ? 0 : Math.min(v, 255);
  }

  /** Resizes one HWC RGB image; returns the HWC result as values 0..255. */
  public int[] resize(byte[] hwc, int offset) {
    boolean needH = outW != inW;
    boolean needV = outH != inH;
    int[] temp = new int[inH * outW * 3];
    if (needH) {
      for (int y = 0; y < inH; y++) {
        for (int xx = 0; xx < outW; xx++) {
          int[] k = horizontal.weights()[xx];
          int x0 = horizontal.first()[xx];
          for (int c = 0; c < 3; c++) {
            int ss = 1 << (PRECISION_BITS - 1);
            for (int x = 0; x < k.length; x++) {
              ss += (hwc[offset + (y * inW + x0 + x) * 3 + c] & 0xff) * k[x];
            }
            temp[(y * outW + xx) * 3 + c] = clip8(ss);
          }
        }
      }
    } else {
      for (int i = 0; i < temp.length; i++) {
        temp[i] = hwc[offset + i] & 0xff;
      }
    }
    if (!needV) {
      return temp;
    }
    int[] out = new int[outH * outW * 3];
    for (int yy = 0; yy < outH; yy++) {
      int[] k = vertical.weights()[yy];
      int y0 = vertical.first()[yy];
      for (int x = 0; x < outW; x++) {
        for (int c = 0; c < 3; c++) {
          int ss = 1 << (PRECISION_BITS - 1);
          for (int y = 0; y < k.length; y++) {
            ss += temp[((y0 + y) * outW + x) * 3 + c] * k[y];
          }
          out[(yy * outW + x) * 3 + c] = clip8(ss);
        }
      }
    }
    return out;
  }
}
