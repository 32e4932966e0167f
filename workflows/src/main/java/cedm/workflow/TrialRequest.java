package cedm.workflow;

import cedm.spec.ExperimentSpec;

/** One grid point of a sweep, with the ids of the artifacts it builds on. */
public record TrialRequest(String sweepId, GridPoint point, String datasetId, String featuresId, String knnId,
    ExperimentSpec spec) {}
