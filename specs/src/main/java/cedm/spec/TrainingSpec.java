package cedm.spec;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Locale;

/**
 * EDM training of one grid point; null architecture, dropout and augmentation fields take the preset's value.
 * {@code batchGpu} (null: the whole per-device batch) splits each device's share of the batch into
 * accumulation rounds.
 */
public record TrainingSpec(
    Preset preset,
    Integer modelChannels,
    List<Integer> channelMult,
    Integer channelMultEmb,
    Integer numBlocks,
    List<Integer> attnResolutions,
    Double dropout,
    double durationMimg,
    int batchSize,
    Integer batchGpu,
    double lr,
    double lrRampupKimg,
    double emaHalflifeKimg,
    Double emaRampupRatio,
    Double augmentP,
    double checkpointKimg,
    int keepCheckpoints,
    double tickKimg) {

  public enum Preset implements SpecValue {
    @JsonProperty("ddpmpp-cifar") DDPMPP_CIFAR,
    @JsonProperty("ddpmpp-ffhq64") DDPMPP_FFHQ64,
    @JsonProperty("tiny") TINY;

    /** As specs write it: {@code ddpmpp-cifar}. */
    @Override
    public String id() {
      return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
  }
}
