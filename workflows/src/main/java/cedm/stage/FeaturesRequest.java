package cedm.stage;

import cedm.spec.FeaturesSpec;

/** Features of the images of dataset artifact {@code datasetId}; the seed drives the builtin network. */
public record FeaturesRequest(String datasetId, FeaturesSpec features, long seed, RunLabels labels) {}
