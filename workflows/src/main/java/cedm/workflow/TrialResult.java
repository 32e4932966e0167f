package cedm.workflow;

import cedm.activity.ClusteringArtifact;
import cedm.activity.EvaluationArtifact;
import cedm.activity.TrainingArtifact;

/**
 * What a trial produced.
 *
 * @param clustering the cluster assignments of a CLUSTERS point, null for the baselines
 * @param training the trained model, null until trained
 * @param evaluation the model's FID (and FDD) per sample set, null until evaluated
 * @param note what the trial did
 */
public record TrialResult(GridPoint point, TrialState state, ClusteringArtifact clustering, TrainingArtifact training,
    EvaluationArtifact evaluation, String note) {}
