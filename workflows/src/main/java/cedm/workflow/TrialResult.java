package cedm.workflow;

import cedm.stage.ClusteringArtifact;
import cedm.stage.EvaluationArtifact;
import cedm.stage.TrainingArtifact;
import java.util.ArrayList;
import java.util.List;

/**
 * What a trial produced.
 *
 * @param clustering the cluster assignments of a CLUSTERS point, null for the baselines
 * @param training the trained model, null until trained
 * @param evaluation the model's scores per sample set, null until evaluated; while the point
 *     is WAITING at a rung, the rung's evaluation
 * @param note what the trial did
 * @param curve FID against kimg, from evaluation during training, the rungs of successive halving
 *     and the final evaluation; empty when the grid neither evaluates during training nor has rungs
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

  /** This run of the trial continuing {@code earlier}'s: the curve of both, in order. */
  public TrialResult after(TrialResult earlier) {
    List<CurvePoint> both = new ArrayList<>(earlier.curve());
    both.addAll(curve);
    return new TrialResult(point, state, clustering, training, evaluation, note, both);
  }

  /** The same point and curve in another state, without a final model or scores. */
  public TrialResult as(TrialState next, String why) {
    return new TrialResult(point, next, clustering, null, null, why, curve);
  }
}
