package cedm.edm;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import cedm.memory.Scoped;
import cedm.random.Seeds;
import cedm.random.TorchGenerator;
import java.util.SplittableRandom;
import java.util.function.Function;

/**
 * Samples from a trained EDM model, each from its own seed: the seed alone decides the latent
 * (torch's generator, seeded with it) and the class label (drawn from q(c), the training-set
 * class frequencies, as C-EDM does). The network always sees micro-batches of the same size
 * (the last one padded), because float32 kernels sum in a batch-size-dependent order: so an image
 * is bit-identical whatever batch or shard it was requested in and wherever it sat in it.
 */
public final class SampleGenerator {
  private static final long LABEL_STREAM = 3L << 40;

  private final EdmPrecond precond;
  private final Function<String, NDArray> params;
  private final HeunSampler sampler;
  private final double[] cumulative;
  private final int microBatch;

  /**
   * {@code classCounts} are training images per class (empty for an unconditional model);
   * {@code microBatch} is the network's batch size.
   */
  public SampleGenerator(EdmPrecond precond, Function<String, NDArray> params, HeunSampler sampler, long[] classCounts,
      int microBatch) {
    this.precond = precond;
    this.params = params;
    this.sampler = sampler;
    this.microBatch = microBatch;
    this.cumulative = new double[classCounts.length];
    double total = 0;
    for (long c : classCounts) {
      total += c;
    }
    double running = 0;
    for (int i = 0; i < classCounts.length; i++) {
      running += classCounts[i];
      cumulative[i] = running / total;
    }
  }

  /** The class of sample {@code seed}: inverse CDF of q(c) at a uniform draw from the seed. */
  public int label(long seed) {
    double u = new SplittableRandom(Seeds.mix(seed, LABEL_STREAM)).nextDouble();
    for (int i = 0; i < cumulative.length; i++) {
      if (u < cumulative[i]) {
        return i;
      }
    }
    return cumulative.length - 1;
  }

  /** float32 [C, H, W] standard normal, from the seed alone. */
  public NDArray latent(NDManager manager, long seed) {
    NetworkConfig c = precond.net().config();
    return TorchGenerator.seeded(seed, () -> manager.randomNormal(new Shape(c.channels(), c.resolution(),
        c.resolution())));
  }

  /** Float64 samples [B, C, H, W] in about [-1, 1] for the given seeds. */
  public NDArray generate(NDManager manager, long[] seeds) {
    NDList out = new NDList();
    for (int from = 0; from < seeds.length; from += microBatch) {
      int count = Math.min(microBatch, seeds.length - from);
      int first = from;
      out.add(Scoped.kept(() -> microBatch(manager, seeds, first, count)));
    }
    if (out.size() == 1) {
      return out.get(0);
    }
    NDArray all = NDArrays.concat(out);
    out.close();
    return all;
  }

  /**
   * EDM's uint8 pixels [B, H, W, C] of the given seeds. Only one micro-batch's arrays are alive at a
   * time, so memory is one micro-batch's working set plus the returned pixels, however many seeds.
   */
  public byte[] pixels(NDManager manager, long[] seeds) {
    NetworkConfig c = precond.net().config();
    int size = c.channels() * c.resolution() * c.resolution();
    byte[] out = new byte[Math.multiplyExact(seeds.length, size)];
    for (int from = 0; from < seeds.length; from += microBatch) {
      int count = Math.min(microBatch, seeds.length - from);
      try (NDScope scope = new NDScope()) {
        scope.suppressNotUsedWarning();
        byte[] batch = toPixels(microBatch(manager, seeds, from, count));
        System.arraycopy(batch, 0, out, from * size, batch.length);
      }
    }
    return out;
  }

  /** Samples of seeds[from .. from + count), computed at the full micro-batch size (padded). */
  private NDArray microBatch(NDManager manager, long[] seeds, int from, int count) {
    NDList latents = new NDList();
    float[] oneHot = new float[microBatch * cumulative.length];
    for (int i = 0; i < microBatch; i++) {
      if (i < count) {
        latents.add(latent(manager, seeds[from + i]));
      } else {
        latents.add(latents.get(0).zerosLike());
      }
      if (cumulative.length > 0) {
        oneHot[i * cumulative.length + (i < count ? label(seeds[from + i]) : 0)] = 1;
      }
    }
    NDArray labels = cumulative.length == 0 ? null : manager.create(oneHot, new Shape(microBatch, cumulative.length));
    NDArray images = sampler.sample((x, sigma) -> {
      NDArray s = manager.full(new Shape(microBatch), (float) sigma);
      return precond.denoise(params, x.toType(DataType.FLOAT32, false), s, labels, null, null)
          .toType(DataType.FLOAT64, false);
    }, NDArrays.stack(latents));
    // The sampler hands its result over unscoped: the caller's scope owns it.
    NDScope.register(images);
    return count == microBatch ? images : images.get(new NDIndex("0:{}", count));
  }

  /** EDM's pixels: (x * 127.5 + 128).clip(0, 255) truncated to uint8, as [B, H, W, C]. */
  public static byte[] toPixels(NDArray images) {
    NDArray u8 = images.mul(127.5).add(128).clip(0, 255).toType(DataType.UINT8, false).transpose(0, 2, 3, 1);
    return u8.toByteArray();
  }
}
