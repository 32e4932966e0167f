package cedm.workflow;

import cedm.activity.ClusteringArtifact;

/**
 * What a trial produced.
 *
 * @param clustering the cluster assignments of a CLUSTERS point, null for the baselines
 * @param note what the trial did and what it did not do yet
 */
public record TrialResult(GridPoint point, TrialState state, ClusteringArtifact clustering, String note) {}
