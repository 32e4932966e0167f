package cedm.activity;

import cedm.spec.EvaluationSpec;

/** Score the model of {@code trainingId} against the training images of {@code datasetId}. */
public record EvaluationRequest(String trainingId, String datasetId, EvaluationSpec evaluation,
    RunLabels labels) {}
