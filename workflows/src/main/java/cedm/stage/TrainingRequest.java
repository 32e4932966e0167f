package cedm.stage;

import cedm.spec.TrainingSpec;

/**
 * Train EDM on the images of {@code datasetId}, conditioned as {@code conditioning} says: on
 * nothing, on the dataset's labels, or on the assignments of {@code clusteringId}. Label ids are
 * remapped to 0..(used-1) before training.
 *
 * @param labels the sweep, trial and C it runs for, for progress and metrics
 */
public record TrainingRequest(String datasetId, Conditioning conditioning, String clusteringId, TrainingSpec training,
    long seed, RunLabels labels) {

  public enum Conditioning { UNCONDITIONAL, DATASET_LABELS, CLUSTERS }
}
