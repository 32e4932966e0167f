package cedm.spec;

/** k-means with k-means++ initialisation, as scikit-learn's KMeans. */
public record KmeansSpec(int nInit, int maxIter, double tol) {}
