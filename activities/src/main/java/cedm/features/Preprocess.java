package cedm.features;

import java.util.List;
import java.util.stream.IntStream;

/**
 * Image preprocessing of TEMI's feature extraction: PIL bicubic resize of the shorter side to
 * {@code size} (no crop), scale to [0, 1], normalise per channel, channels first.
 */
public final class Preprocess {
  private final PilResize resize;
  private final float[] mean;
  private final float[] std;
  private final int inW;
  private final int inH;

  public Preprocess(int inW, int inH, int size, List<Double> mean, List<Double> std) {
    this.inW = inW;
    this.inH = inH;
    this.resize = PilResize.shorterSide(inW, inH, size);
    this.mean = new float[] {mean.get(0).floatValue(), mean.get(1).floatValue(), mean.get(2).floatValue()};
    this.std = new float[] {std.get(0).floatValue(), std.get(1).floatValue(), std.get(2).floatValue()};
  }

  public int inWidth() {
    return inW;
  }

  public int inHeight() {
    return inH;
  }

  public int outWidth() {
    return resize.outWidth();
  }

  public int outHeight() {
    return resize.outHeight();
  }

  /** {@code count} HWC uint8 images -> float NCHW, images processed in parallel. */
  public float[] apply(byte[] images, int count) {
    int w = resize.outWidth();
    int h = resize.outHeight();
    int plane = w * h;
    float[] out = new float[count * 3 * plane];
    IntStream.range(0, count).parallel().forEach(i -> {
      int[] px = resize.resize(images, i * inW * inH * 3);
      int base = i * 3 * plane;
      for (int p = 0; p < plane; p++) {
        for (int c = 0; c < 3; c++) {
          out[base + c * plane + p] = (px[p * 3 + c] / 255f - mean[c]) / std[c];
        }
      }
    });
    return out;
  }
}
