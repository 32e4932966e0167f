package cedm.spec;

/** One sweep, as written in a YAML spec after defaults are filled in and paths resolved. */
public record ExperimentSpec(
    String name,
    String description,
    long seed,
    DatasetSpec dataset,
    FeaturesSpec features,
    ClusteringSpec clustering,
    SearchSpec search,
    GridSpec grid,
    TrainingSpec training,
    EvaluationSpec evaluation,
    RuntimeSpec runtime) {

  /**
   * The training images' side: the dataset's, else what its kind or, when only the files tell, the
   * preset implies (FFHQ's 64, CIFAR's 32).
   */
  public int imageResolution() {
    if (dataset.resolution() != null) {
      return dataset.resolution();
    }
    return dataset.kind().resolution().orElse(training.preset() == TrainingSpec.Preset.DDPMPP_FFHQ64 ? 64 : 32);
  }
}
