package cedm.spec;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Where the training images come from (REFERENCE.md: CIFAR-10/100, FFHQ-64). */
public record DatasetSpec(
    Kind kind, String path, Integer resolution, int count, int groups, int testCount, Integer maxImages) {

  public enum Kind {
    @JsonProperty("shapes") SHAPES,
    @JsonProperty("cifar10") CIFAR10,
    @JsonProperty("cifar100") CIFAR100,
    @JsonProperty("edm") EDM,
    @JsonProperty("folder") FOLDER;

    /** Whether images of this kind come with ground-truth labels. */
    public boolean hasLabels() {
      return this != FOLDER;
    }
  }
}
