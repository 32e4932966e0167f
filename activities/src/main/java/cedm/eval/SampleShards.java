package cedm.eval;

import ai.djl.ndarray.NDManager;
import cedm.edm.SampleGenerator;
import cedm.io.AtomicFile;
import cedm.io.Npy;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.IntConsumer;
import javax.imageio.ImageIO;

/**
 * The S x N samples of an evaluation, generated shard by shard: set s holds seeds s*N .. s*N+N-1,
 * each shard's features (one file per network) are written atomically into the work directory,
 * and a restarted evaluation skips the shards already there. Shard boundaries depend only on the
 * shard size, and images only on their seeds, so the statistics do not depend on where a run
 * stopped.
 */
public final class SampleShards {
  private final Path dir;
  private final int sets;
  private final int perSet;
  private final int shardSize;

  public SampleShards(Path dir, int sets, int perSet, int shardSize) throws IOException {
    this.dir = Files.createDirectories(dir);
    this.sets = sets;
    this.perSet = perSet;
    this.shardSize = shardSize;
  }

  public int shardsPerSet() {
    return (perSet + shardSize - 1) / shardSize;
  }

  public Path features(int set, int shard, EvalNetwork network) {
    return dir.resolve(String.format("set%d-shard%05d.%s.npy", set, shard, network.id()));
  }

  /** Where PNGs go, in EDM's layout: one folder per 1000 seeds, NNNNNN.png. */
  public Path images() {
    return dir.resolve("images");
  }

  /**
   * Generates every missing shard, with its PNGs in {@link #images()} when {@code saveImages};
   * {@code shardDone} hears the number computed so far after each. Returns that number.
   */
  public int generate(NDManager manager, SampleGenerator generator, List<EvalNetwork> networks, int resolution,
      boolean saveImages, IntConsumer shardDone) throws Exception {
    int computed = 0;
    for (int s = 0; s < sets; s++) {
      for (int k = 0; k < shardsPerSet(); k++) {
        if (done(s, k, networks)) {
          continue;
        }
        int from = k * shardSize;
        int count = Math.min(shardSize, perSet - from);
        long[] seeds = new long[count];
        for (int i = 0; i < count; i++) {
          seeds[i] = (long) s * perSet + from + i;
        }
        byte[] pixels = generator.pixels(manager, seeds);
        if (saveImages) {
          writePngs(images(), pixels, seeds, resolution);
        }
        for (EvalNetwork network : networks) {
          float[] f = network.features(pixels, count, resolution, resolution);
          AtomicFile.write(features(s, k, network), tmp -> Npy.write(tmp, f, count, f.length / count));
        }
        computed++;
        shardDone.accept(computed);
      }
    }
    return computed;
  }

  private boolean done(int set, int shard, List<EvalNetwork> networks) {
    return networks.stream().allMatch(n -> Files.isRegularFile(features(set, shard, n)));
  }

  /** Streams one set's shards, in order, into statistics. */
  public FeatureStatistics statistics(int set, EvalNetwork network) throws IOException {
    FeatureStatistics stats = null;
    for (int k = 0; k < shardsPerSet(); k++) {
      Path file = features(set, k, network);
      long[] shape = Npy.readHeader(file).shape();
      if (stats == null) {
        stats = new FeatureStatistics((int) shape[1]);
      }
      stats.add(Npy.readFloats(file), (int) shape[0]);
    }
    return stats;
  }

  /** Rows {@code kept} (ascending indices into the set) of one set's features, read shard by shard. */
  public Prdc.Points rows(int set, EvalNetwork network, int[] kept) throws IOException {
    float[] out = null;
    int dim = 0;
    int at = 0;
    for (int k = 0; k < shardsPerSet() && at < kept.length; k++) {
      int end = Math.min(perSet, (k + 1) * shardSize);
      int first = at;
      while (at < kept.length && kept[at] < end) {
        at++;
      }
      int[] local = new int[at - first];
      for (int r = 0; r < local.length; r++) {
        local[r] = kept[first + r] - k * shardSize;
      }
      Path file = features(set, k, network);
      if (out == null) {
        dim = (int) Npy.readHeader(file).shape()[1];
        out = new float[Math.multiplyExact(kept.length, dim)];
      }
      float[] part = Npy.readRows(file, local);
      System.arraycopy(part, 0, out, first * dim, part.length);
    }
    return new Prdc.Points(out, kept.length, dim);
  }

  private static void writePngs(Path root, byte[] pixels, long[] seeds, int resolution) throws IOException {
    int size = resolution * resolution * 3;
    for (int i = 0; i < seeds.length; i++) {
      BufferedImage image = new BufferedImage(resolution, resolution, BufferedImage.TYPE_INT_RGB);
      for (int p = 0; p < resolution * resolution; p++) {
        int o = i * size + p * 3;
        image.setRGB(p % resolution, p / resolution,
            (pixels[o] & 0xFF) << 16 | (pixels[o + 1] & 0xFF) << 8 | (pixels[o + 2] & 0xFF));
      }
      Path folder = Files.createDirectories(root.resolve(String.format("%06d", seeds[i] - seeds[i] % 1000)));
      ImageIO.write(image, "png", folder.resolve(String.format("%06d.png", seeds[i])).toFile());
    }
  }
}
