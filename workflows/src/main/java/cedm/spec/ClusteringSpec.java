package cedm.spec;

/**
 * Clustering used by the search and the grid: TEMI heads as HHU-MMBS/TEMI-official-BMVC2023 trains
 * them, k-means as C-EDM runs it (README, "Clustering").
 */
public record ClusteringSpec(ClusteringMethod method, TemiSpec temi, KmeansSpec kmeans) {}
