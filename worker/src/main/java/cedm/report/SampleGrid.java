package cedm.report;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import cedm.activities.TrainedModel;
import cedm.edm.SampleGenerator;
import cedm.spec.EvaluationSpec;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Generated images of a trained model, one row per cluster (the paper's Fig. 1 idea): the
 * {@code clusters} largest clusters, {@code perCluster} samples each. Each sample is the
 * evaluation's own: seed s gives latent and label, so a row holds the first seeds whose drawn
 * label is that cluster.
 */
final class SampleGrid {
  /** Seeds scanned for a cluster's samples; enough for any cluster above 1/20000 of the data. */
  private static final int MAX_SEEDS = 1_000_000;
  private static final int LABEL_WIDTH = 190;
  private static final int TILE = 64;

  /** The clusters shown, largest first, with their training images. */
  record Cluster(int id, long images) {}

  private SampleGrid() {}

  static List<Cluster> largest(long[] classCounts, int count) {
    return IntStream.range(0, classCounts.length).mapToObj(i -> new Cluster(i, classCounts[i]))
        .sorted(Comparator.comparingLong(Cluster::images).reversed().thenComparingInt(Cluster::id))
        .limit(count).toList();
  }

  static BufferedImage render(TrainedModel model, EvaluationSpec spec, int clusters, int perCluster) throws IOException {
    List<Cluster> shown = largest(model.classCounts(), clusters);
    int resolution = model.config().resolution();
    int scale = Math.max(1, TILE / resolution);
    int tile = resolution * scale;
    BufferedImage grid = new BufferedImage(LABEL_WIDTH + perCluster * (tile + 2), shown.size() * (tile + 2),
        BufferedImage.TYPE_INT_RGB);
    Graphics2D g = grid.createGraphics();
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, grid.getWidth(), grid.getHeight());
    g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
    g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_NEAREST_NEIGHBOR);
    try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
      SampleGenerator generator = model.generator(manager, spec);
      for (int row = 0; row < shown.size(); row++) {
        Cluster c = shown.get(row);
        long[] seeds = seedsOf(generator, c.id(), perCluster);
        g.setColor(Color.BLACK);
        g.drawString("cluster " + c.id() + " (" + c.images() + " images)", 6, row * (tile + 2) + tile / 2 + 5);
        if (seeds.length == 0) {
          continue;
        }
        byte[] pixels = generator.pixels(manager, seeds);
        int channels = model.config().channels();
        for (int i = 0; i < seeds.length; i++) {
          BufferedImage sample = new BufferedImage(resolution, resolution, BufferedImage.TYPE_INT_RGB);
          for (int y = 0; y < resolution; y++) {
            for (int x = 0; x < resolution; x++) {
              int at = ((i * resolution + y) * resolution + x) * channels;
              int r = pixels[at] & 0xff;
              int gr = channels > 1 ? pixels[at + 1] & 0xff : r;
              int b = channels > 2 ? pixels[at + 2] & 0xff : r;
              sample.setRGB(x, y, (r << 16) | (gr << 8) | b);
            }
          }
          g.drawImage(sample, LABEL_WIDTH + i * (tile + 2), row * (tile + 2), tile, tile, null);
        }
      }
    } finally {
      g.dispose();
    }
    return grid;
  }

  private static long[] seedsOf(SampleGenerator generator, int cluster, int count) {
    List<Long> seeds = new ArrayList<>();
    for (long s = 0; s < MAX_SEEDS && seeds.size() < count; s++) {
      if (generator.label(s) == cluster) {
        seeds.add(s);
      }
    }
    return seeds.stream().mapToLong(Long::longValue).toArray();
  }
}
