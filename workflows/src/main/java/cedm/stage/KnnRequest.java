package cedm.stage;

/** The {@code m} nearest neighbours of every row of features artifact {@code featuresId}. */
public record KnnRequest(String featuresId, int m, RunLabels labels) {}
