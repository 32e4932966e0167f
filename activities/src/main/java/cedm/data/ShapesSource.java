package cedm.data;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.Shape;
import java.awt.geom.AffineTransform;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Path2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The demo dataset: one coloured geometric shape per image on a noisy dark background. Group g
 * (the ground-truth label) draws shape g mod 4 (circle, square, triangle, cross) in its own hue,
 * g / groups of the colour wheel, so that even a network that was never trained (the builtin
 * extractor) can tell the groups apart. Size, position, rotation, tint and noise vary per image.
 * Every image is a pure function of (seed, split, index).
 */
public final class ShapesSource implements ImageSource {
  public static final int MAX_GROUPS = 12;

  private final long seed;
  private final int size;
  private final int count;
  private final int testCount;
  private final int groups;

  public ShapesSource(long seed, int size, int count, int testCount, int groups) {
    if (groups < 2 || groups > MAX_GROUPS) {
      throw new IllegalArgumentException("groups must be in [2, " + MAX_GROUPS + "]");
    }
    this.seed = seed;
    this.size = size;
    this.count = count;
    this.testCount = testCount;
    this.groups = groups;
  }

  @Override
  public List<Entry> entries(Split split) {
    int n = split == Split.TRAIN ? count : testCount;
    List<Entry> entries = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      long stream = mix(seed, split.ordinal(), i);
      int label = new SplittableRandom(stream).nextInt(groups);
      int index = i;
      entries.add(new Entry() {
        @Override
        public String origin() {
          return "shapes " + split.name().toLowerCase() + " image " + index;
        }

        @Override
        public long label() {
          return label;
        }

        @Override
        public RgbImage decode() {
          SplittableRandom random = new SplittableRandom(stream);
          random.nextInt(groups);
          return render(label, random);
        }
      });
    }
    return entries;
  }

  private static long mix(long seed, int split, int index) {
    long z = seed * 0x9E3779B97F4A7C15L + split * 0xBF58476D1CE4E5B9L + index * 0x94D049BB133111EBL;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  private RgbImage render(int group, SplittableRandom random) {
    BufferedImage image = new BufferedImage(size, size, BufferedImage.TYPE_3BYTE_BGR);
    Graphics2D g = image.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
    int background = 20 + random.nextInt(60);
    g.setColor(new Color(background, background, background + random.nextInt(20)));
    g.fillRect(0, 0, size, size);

    double extent = size * (0.45 + 0.3 * random.nextDouble());
    double cx = size / 2.0 + (random.nextDouble() - 0.5) * 0.3 * size;
    double cy = size / 2.0 + (random.nextDouble() - 0.5) * 0.3 * size;
    AffineTransform place = new AffineTransform();
    place.translate(cx, cy);
    place.rotate(random.nextDouble() * 2 * Math.PI);
    place.scale(extent / 2, extent / 2);
    Color base = Color.getHSBColor((float) group / groups, 0.85f, 0.9f);
    g.setColor(new Color(tint(base.getRed(), random), tint(base.getGreen(), random), tint(base.getBlue(), random)));
    Shape shape = place.createTransformedShape(unitShape(group % 4));
    g.fill(shape);
    g.setStroke(new BasicStroke(1f));
    g.draw(shape);
    g.dispose();

    RgbImage rgb = RgbImage.of(image);
    byte[] px = rgb.hwc();
    for (int i = 0; i < px.length; i++) {
      int v = (px[i] & 0xff) + random.nextInt(17) - 8;
      px[i] = (byte) Math.max(0, Math.min(255, v));
    }
    return rgb;
  }

  private static int tint(int channel, SplittableRandom random) {
    return Math.max(0, Math.min(255, channel + random.nextInt(51) - 25));
  }

  /** Shapes centred on the origin, within the unit circle. */
  private static Shape unitShape(int kind) {
    return switch (kind) {
      case 0 -> new Ellipse2D.Double(-1, -1, 2, 2);
      case 1 -> new Rectangle2D.Double(-0.75, -0.75, 1.5, 1.5);
      case 2 -> {
        Path2D.Double t = new Path2D.Double();
        t.moveTo(0, -1);
        t.lineTo(0.866, 0.5);
        t.lineTo(-0.866, 0.5);
        t.closePath();
        yield t;
      }
      default -> {
        Path2D.Double c = new Path2D.Double();
        c.append(new Rectangle2D.Double(-1, -0.3, 2, 0.6), false);
        c.append(new Rectangle2D.Double(-0.3, -1, 0.6, 2), false);
        c.setWindingRule(Path2D.WIND_NON_ZERO);
        yield c;
      }
    };
  }

  @Override
  public boolean labelled() {
    return true;
  }

  @Override
  public String fingerprint() {
    return "shapes:" + seed + ":" + size + ":" + count + ":" + testCount + ":" + groups;
  }
}
