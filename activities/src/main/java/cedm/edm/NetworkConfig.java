package cedm.edm;

import cedm.io.BadInputException;
import cedm.spec.TrainingSpec;
import java.util.List;

/**
 * The shape of a SongUNet (DDPM++), as edm:training/networks.py builds it: everything that decides
 * which parameters exist and how they connect. A preset supplies the architecture; non-null spec
 * fields override it.
 */
public record NetworkConfig(
    int resolution,
    int channels,
    int labelDim,
    int augmentDim,
    int modelChannels,
    List<Integer> channelMult,
    int channelMultEmb,
    int numBlocks,
    List<Integer> attnResolutions,
    double dropout) {

  /** AugmentPipe's label width with EDM's transforms (xflip, yflip, scale, rotate, aniso, translate). */
  public static final int AUGMENT_DIM = 9;

  public NetworkConfig {
    channelMult = List.copyOf(channelMult);
    attnResolutions = List.copyOf(attnResolutions);
  }

  /**
   * The architecture problems the reference would only hit inside torch, as a user error naming
   * the spec field: every level must halve the resolution exactly, and every channel count must
   * split into its GroupNorm groups (min(32, channels/4)).
   */
  public void check() throws BadInputException {
    int levels = channelMult.size();
    if (resolution % (1 << (levels - 1)) != 0) {
      throw new BadInputException("training.channel_mult: " + levels + " levels halve the resolution " + (levels - 1)
          + " times, which " + resolution + "x" + resolution + " images do not allow; use fewer levels");
    }
    for (ParameterLayout.Entry e : new SongUNet(this).layout().entries()) {
      if (e.name().endsWith("norm0.weight") || e.name().endsWith("norm1.weight") || e.name().endsWith("norm2.weight")
          || e.name().endsWith("aux_norm.weight")) {
        long c = e.shape().get(0);
        long groups = Layers.groups(c);
        if (groups < 1 || c % groups != 0) {
          throw new BadInputException("training.model_channels " + modelChannels + " with channel_mult " + channelMult
              + " gives " + c + " channels at " + e.name().replace(".weight", "") + ", which do not split into "
              + "GroupNorm's min(32, channels/4) = " + groups + " groups; choose model_channels so that every "
              + "level's channels (and the decoder's concatenations) divide");
        }
      }
    }
  }

  public static NetworkConfig of(TrainingSpec spec, int resolution, int channels, int labelDim) {
    NetworkConfig p = preset(spec.preset(), resolution, channels, labelDim, augmentP(spec) > 0 ? AUGMENT_DIM : 0);
    return new NetworkConfig(resolution, channels, labelDim, p.augmentDim,
        spec.modelChannels() != null ? spec.modelChannels() : p.modelChannels,
        spec.channelMult() != null ? spec.channelMult() : p.channelMult,
        spec.channelMultEmb() != null ? spec.channelMultEmb() : p.channelMultEmb,
        spec.numBlocks() != null ? spec.numBlocks() : p.numBlocks,
        spec.attnResolutions() != null ? spec.attnResolutions() : p.attnResolutions,
        spec.dropout() != null ? spec.dropout() : p.dropout);
  }

  /** The spec's AugmentPipe probability, or EDM's for the preset (CIFAR 0.12, FFHQ 0.15). */
  public static double augmentP(TrainingSpec spec) {
    if (spec.augmentP() != null) {
      return spec.augmentP();
    }
    return spec.preset() == TrainingSpec.Preset.DDPMPP_FFHQ64 ? 0.15 : 0.12;
  }

  /** EDM's DDPM++ configurations (train.py --arch=ddpmpp, cifar and ffhq) and a CPU-sized one. */
  public static NetworkConfig preset(TrainingSpec.Preset preset, int resolution, int channels, int labelDim,
      int augmentDim) {
    return switch (preset) {
      case DDPMPP_CIFAR -> new NetworkConfig(resolution, channels, labelDim, augmentDim, 128, List.of(2, 2, 2), 4, 4,
          List.of(16), 0.13);
      case DDPMPP_FFHQ64 -> new NetworkConfig(resolution, channels, labelDim, augmentDim, 128, List.of(1, 2, 2, 2), 4, 4,
          List.of(16), 0.05);
      case TINY -> new NetworkConfig(resolution, channels, labelDim, augmentDim, 16, List.of(1, 2), 4, 1,
          List.of(16), 0.13);
    };
  }

  public int embChannels() {
    return modelChannels * channelMultEmb;
  }
}
