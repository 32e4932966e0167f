package cedm.stage;

import cedm.spec.EvaluationSpec;

/**
 * Score the model of {@code trainingId}, or its snapshot {@code snapshotId} when that is set,
 * against the training images of {@code datasetId}.
 */
public record EvaluationRequest(String trainingId, String datasetId, EvaluationSpec evaluation,
    RunLabels labels, String snapshotId) {

  /** The trained model itself. */
  public EvaluationRequest(String trainingId, String datasetId, EvaluationSpec evaluation, RunLabels labels) {
    this(trainingId, datasetId, evaluation, labels, null);
  }
}
