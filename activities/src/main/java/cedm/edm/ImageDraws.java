package cedm.edm;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import cedm.random.Seeds;
import cedm.random.TorchGenerator;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The random draws of a run of consecutive images of one training step: each image's noise level,
 * noise, dropout masks and augmentation come from its own seed, a function of (step seed, the
 * image's position in the step's batch). So an image is trained on the same draws whether the
 * step's batch is taken in one round, in accumulation rounds, or split over replicas.
 *
 * <p>Noise and dropout come from torch's generator on the images' device; the augmentation's few
 * numbers per image come from a Java stream per image, as AugmentPipe consumes them on the host.
 */
public final class ImageDraws {
  private static final long AUGMENT_STREAM = 1L << 41;

  /** sigma's standard normal [n], the noise [n, C, H, W], the dropout masks (null when p = 0). */
  public record Drawn(NDArray rndNormal, NDArray noise, DropoutMasks dropout) {}

  private ImageDraws() {}

  /**
   * Draws for images {@code first .. first + count - 1} of the step seeded {@code stepSeed}, on
   * {@code manager}'s device; {@code image} is one image's shape [C, H, W].
   */
  public static Drawn draw(NDManager manager, long stepSeed, int first, int count, Shape image,
      List<Shape> dropoutLayers, double dropoutP) {
    long maskLength = dropoutP > 0 ? DropoutMasks.elements(dropoutLayers) : 0;
    NDList normals = new NDList(count);
    NDList noises = new NDList(count);
    NDList keeps = new NDList(count);
    for (int i = first; i < first + count; i++) {
      TorchGenerator.seeded(Seeds.mix(stepSeed, i), () -> {
        normals.add(manager.randomNormal(new Shape(1)));
        noises.add(manager.randomNormal(new Shape(1).addAll(image)));
        if (maskLength > 0) {
          try (NDArray u = manager.randomUniform(0, 1, new Shape(1, maskLength))) {
            keeps.add(u.gte(dropoutP));
          }
        }
        return null;
      });
    }
    NDArray rndNormal = concat(normals);
    NDArray noise = concat(noises);
    DropoutMasks dropout = maskLength > 0 ? new DropoutMasks(concat(keeps), dropoutLayers, dropoutP) : null;
    return new Drawn(rndNormal, noise, dropout);
  }

  private static NDArray concat(NDList parts) {
    NDArray all = parts.size() == 1 ? parts.get(0) : NDArrays.concat(parts, 0);
    if (parts.size() > 1) {
      parts.close();
    }
    return all;
  }

  /** AugmentPipe's draws for the same images: each image's numbers from its own Java stream. */
  public static AugmentDraws augment(long stepSeed, int first, int count) {
    List<SplittableRandom> streams = new ArrayList<>(count);
    for (int i = first; i < first + count; i++) {
      streams.add(new SplittableRandom(Seeds.mix(stepSeed, AUGMENT_STREAM + i)));
    }
    return new PerImage(streams);
  }

  /**
   * Serves AugmentPipe's draws, whose last dimension is the batch: element [k, i] (or [i, k] when
   * the batch comes first) is image i's k-th number of that draw, so an image's numbers do not depend on its neighbours.
   */
  private record PerImage(List<SplittableRandom> streams) implements AugmentDraws {
    private interface Source {
      double next(SplittableRandom r);
    }

    private NDArray fill(NDManager manager, Shape shape, Source source) {
      int n = streams.size();
      long total = shape.size();
      boolean batchLast = shape.get(shape.dimension() - 1) == n;
      if (!batchLast && shape.get(0) != n) {
        throw new IllegalArgumentException("draw of shape " + shape + " for " + n + " images");
      }
      int per = Math.toIntExact(total / n);
      float[] v = new float[Math.toIntExact(total)];
      for (int i = 0; i < n; i++) {
        SplittableRandom r = streams.get(i);
        for (int k = 0; k < per; k++) {
          v[batchLast ? k * n + i : i * per + k] = (float) source.next(r);
        }
      }
      return manager.create(v, shape);
    }

    @Override
    public NDArray rand(NDManager manager, Shape shape) {
      return fill(manager, shape, SplittableRandom::nextDouble);
    }

    @Override
    public NDArray randn(NDManager manager, Shape shape) {
      return fill(manager, shape, SplittableRandom::nextGaussian);
    }

    @Override
    public NDArray randint(NDManager manager, long high, Shape shape) {
      return fill(manager, shape, r -> r.nextLong(high));
    }
  }
}
