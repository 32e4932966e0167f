package cedm.workflow;

import cedm.activity.ClusteringArtifact;
import cedm.activity.TrainingArtifact;

/**
 * What a trial produced.
 *
 * @param clustering the cluster assignments of a CLUSTERS point, null for the baselines
 * @param training the trained model, null until trained
 * @param note what the trial did and what it did not do yet
 */
public record TrialResult(GridPoint point, TrialState state, ClusteringArtifact clustering, TrainingArtifact training,
    String note) {}
