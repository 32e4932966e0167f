package cedm.spec;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Optional;

/** Where the training images come from: the paper trains on CIFAR-10/100 and FFHQ-64 (README, "Datasets"). */
public record DatasetSpec(
    Kind kind, String path, Integer resolution, int count, int groups, int testCount, Integer maxImages) {

  /** Where a kind's images come from, and what it needs from the spec. */
  public enum Kind implements SpecValue {
    @JsonProperty("shapes") SHAPES(null, 32),
    @JsonProperty("cifar10") CIFAR10("the directory cifar-10-batches-bin (data_batch_1.bin ... test_batch.bin)", 32),
    @JsonProperty("cifar100") CIFAR100("the directory cifar-100-binary (train.bin, test.bin)", 32),
    @JsonProperty("edm") EDM("an EDM dataset .zip or directory (PNG images + dataset.json)", null),
    @JsonProperty("folder") FOLDER("a directory of images (png, jpg, bmp)", null);

    private final String path;
    private final Integer resolution;

    Kind(String path, Integer resolution) {
      this.path = path;
      this.resolution = resolution;
    }

    /** What {@code dataset.path} must name; empty for a kind that makes its images and reads no files. */
    public Optional<String> path() {
      return Optional.ofNullable(path);
    }

    /**
     * The images' side when {@code dataset.resolution} is not given, if the kind fixes it (CIFAR's
     * 32, the shapes' default); empty when only the files tell.
     */
    public Optional<Integer> resolution() {
      return Optional.ofNullable(resolution);
    }
  }
}
