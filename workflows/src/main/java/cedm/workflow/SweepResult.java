package cedm.workflow;

import cedm.activity.DatasetArtifact;
import cedm.activity.FeaturesArtifact;
import cedm.activity.KnnArtifact;
import java.util.List;

/** A finished sweep: every stage's report, the search's result and every trial's. */
public record SweepResult(String sweepId, List<StageReport> stages, DatasetArtifact dataset, FeaturesArtifact features,
    KnnArtifact knn, CmaxResult cmax, List<TrialResult> trials) {}
