package cedm.workflow;

import cedm.activity.ClusteringArtifact;
import cedm.activity.EvaluationArtifact;
import cedm.activity.TrainingArtifact;
import java.util.List;

/**
 * What a trial produced.
 *
 * @param clustering the cluster assignments of a CLUSTERS point, null for the baselines
 * @param training the trained model, null until trained
 * @param evaluation the model's FID (and FDD) per sample set, null until evaluated
 * @param note what the trial did
 * @param curve FID against kimg, from evaluation during training and the final evaluation; empty
 *     when evaluation during training is off
 */
public record TrialResult(GridPoint point, TrialState state, ClusteringArtifact clustering, TrainingArtifact training,
    EvaluationArtifact evaluation, String note, List<CurvePoint> curve) {

  /** Results recorded before curves existed carry none. */
  public TrialResult {
    curve = curve == null ? List.of() : List.copyOf(curve);
  }

  public TrialResult(GridPoint point, TrialState state, ClusteringArtifact clustering, TrainingArtifact training,
      EvaluationArtifact evaluation, String note) {
    this(point, state, clustering, training, evaluation, note, List.of());
  }
}
