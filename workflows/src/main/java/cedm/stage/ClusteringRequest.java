package cedm.stage;

import cedm.spec.ClusteringMethod;
import cedm.spec.ClusteringSpec;

/**
 * Cluster the features of {@code featuresId} into {@code clusters} groups; TEMI also reads the
 * neighbours of {@code knnId}.
 */
public record ClusteringRequest(
    String featuresId, String knnId, ClusteringMethod method, int clusters, ClusteringSpec clustering, long seed,
    RunLabels labels) {}
