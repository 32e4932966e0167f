package cedm.workflow;

import cedm.activity.DatasetArtifact;
import cedm.activity.FeaturesArtifact;
import cedm.activity.KnnArtifact;
import java.util.List;

/** A finished sweep: every stage's report and the artifacts later stages and tools read. */
public record SweepResult(
    String sweepId, List<StageReport> stages, DatasetArtifact dataset, FeaturesArtifact features, KnnArtifact knn) {}
