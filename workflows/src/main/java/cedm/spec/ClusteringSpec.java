package cedm.spec;

/** Clustering used by the search and the grid (REFERENCE.md, "TEMI heads", "k-means"). */
public record ClusteringSpec(ClusteringMethod method, TemiSpec temi, KmeansSpec kmeans) {}
