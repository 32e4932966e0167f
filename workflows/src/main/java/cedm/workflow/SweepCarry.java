package cedm.workflow;

import cedm.activity.DatasetArtifact;
import cedm.activity.FeaturesArtifact;
import cedm.activity.KnnArtifact;
import java.util.List;

/** A sweep's state handed to its next run when it continues as new (history kept short). */
public record SweepCarry(List<StageReport> stages, DatasetArtifact dataset, FeaturesArtifact features, KnnArtifact knn,
    CmaxResult cmax, List<TrialResult> trials) {}
