package cedm.spec;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Where the training images come from: the paper trains on CIFAR-10/100 and FFHQ-64 (README, "Datasets"). */
public record DatasetSpec(
    Kind kind, String path, Integer resolution, int count, int groups, int testCount, Integer maxImages) {

  public enum Kind {
    @JsonProperty("shapes") SHAPES,
    @JsonProperty("cifar10") CIFAR10,
    @JsonProperty("cifar100") CIFAR100,
    @JsonProperty("edm") EDM,
    @JsonProperty("folder") FOLDER
  }
}
