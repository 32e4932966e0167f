package cedm.workflow;

import cedm.stage.DatasetArtifact;
import cedm.stage.FeaturesArtifact;
import cedm.stage.KnnArtifact;
import java.util.List;

/**
 * A finished sweep: every stage's report, the search's result and every trial's.
 *
 * @param rungs the decisions of successive halving, in the order they were made; empty for a full grid
 */
public record SweepResult(String sweepId, List<StageReport> stages, DatasetArtifact dataset, FeaturesArtifact features,
    KnnArtifact knn, CmaxResult cmax, List<TrialResult> trials, List<RungDecision> rungs) {

  /** Results from before schedules have no rungs. */
  public SweepResult {
    rungs = rungs == null ? List.of() : List.copyOf(rungs);
  }
}
