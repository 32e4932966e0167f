package cedm.activity;

import cedm.spec.TrainingSpec;

/**
 * Train EDM on the images of {@code datasetId}, conditioned as {@code conditioning} says: on
 * nothing, on the dataset's labels, or on the assignments of {@code clusteringId}. Label ids are
 * remapped to 0..(used-1) before training.
 *
 * @param trial the grid point's name, for progress and metrics
 */
public record TrainingRequest(String datasetId, Conditioning conditioning, String clusteringId, TrainingSpec training,
    long seed, String trial) {

  public enum Conditioning { UNCONDITIONAL, DATASET_LABELS, CLUSTERS }
}
