package cedm.workflow;

import cedm.spec.ClusteringSpec;
import cedm.spec.RuntimeSpec;
import cedm.spec.SearchSpec;

/** What the C_max search of sweep {@code sweepId} clusters (features and neighbours by artifact id) and how. */
public record CmaxRequest(String sweepId, String featuresId, String knnId, ClusteringSpec clustering, SearchSpec search, long seed,
    RuntimeSpec runtime) {}
