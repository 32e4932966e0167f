package cedm.data;

import java.awt.Graphics2D;
import java.awt.Image;
import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;

/** An 8-bit RGB image in height x width x channel order, the layout of EDM's datasets. */
public record RgbImage(int width, int height, byte[] hwc) {
  /** The most pixels one image can have: its 3 bytes per pixel must fit one Java array. */
  public static final long MAX_PIXELS = (Integer.MAX_VALUE - 8) / 3;

  /**
   * Converts a decoded image as PIL's {@code convert('RGB')} would: grey is replicated, alpha is
   * dropped. 8-bit samples are read from the raster directly, because {@code getRGB} would
   * colour-convert grey images.
   */
  public static RgbImage of(BufferedImage image) {
    int w = image.getWidth();
    int h = image.getHeight();
    byte[] out = new byte[w * h * 3];
    Raster raster = image.getRaster();
    int bands = raster.getNumBands();
    boolean plain8Bit = !(image.getColorModel() instanceof IndexColorModel)
        && raster.getSampleModel().getSampleSize(0) == 8 && bands >= 1 && bands <= 4;
    if (plain8Bit) {
      int[] row = new int[w * bands];
      for (int y = 0; y < h; y++) {
        raster.getPixels(0, y, w, 1, row);
        for (int x = 0; x < w; x++) {
          int o = (y * w + x) * 3;
          int i = x * bands;
          boolean grey = bands <= 2;
          out[o] = (byte) row[i];
          out[o + 1] = (byte) row[grey ? i : i + 1];
          out[o + 2] = (byte) row[grey ? i : i + 2];
        }
      }
    } else {
      for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
          int rgb = image.getRGB(x, y);
          int o = (y * w + x) * 3;
          out[o] = (byte) (rgb >> 16);
          out[o + 1] = (byte) (rgb >> 8);
          out[o + 2] = (byte) rgb;
        }
      }
    }
    return new RgbImage(w, h, out);
  }

  public BufferedImage toBufferedImage() {
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_3BYTE_BGR);
    int[] row = new int[width * 3];
    for (int y = 0; y < height; y++) {
      for (int i = 0; i < row.length; i++) {
        row[i] = hwc[y * width * 3 + i] & 0xff;
      }
      image.getRaster().setPixels(0, y, width, 1, row);
    }
    return image;
  }

  /** Centre-crops to a square and resamples to {@code size} x {@code size} by area averaging. */
  public RgbImage squareResized(int size) {
    if (width == size && height == size) {
      return this;
    }
    int side = Math.min(width, height);
    BufferedImage crop = toBufferedImage().getSubimage((width - side) / 2, (height - side) / 2, side, side);
    Image scaled = crop.getScaledInstance(size, size, Image.SCALE_AREA_AVERAGING);
    BufferedImage out = new BufferedImage(size, size, BufferedImage.TYPE_3BYTE_BGR);
    Graphics2D g = out.createGraphics();
    g.drawImage(scaled, 0, 0, null);
    g.dispose();
    return of(out);
  }
}
