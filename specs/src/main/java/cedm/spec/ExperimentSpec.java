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
    RuntimeSpec runtime) {}
