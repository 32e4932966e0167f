package cedm.spec;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Clustering used by the search and the grid: TEMI heads as HHU-MMBS/TEMI-official-BMVC2023 trains
 * them, k-means as C-EDM runs it (README, "Clustering").
 *
 * @param searchMethod the method whose cluster utilisation the C_max search measures (the spec's
 *     {@code clustering.method}); the grid's methods are {@code grid.methods}
 */
public record ClusteringSpec(@JsonProperty("method") ClusteringMethod searchMethod, TemiSpec temi, KmeansSpec kmeans) {}
