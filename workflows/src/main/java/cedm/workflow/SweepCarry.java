package cedm.workflow;

import cedm.stage.DatasetArtifact;
import cedm.stage.FeaturesArtifact;
import cedm.stage.KnnArtifact;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A sweep's state handed to its next run when it continues as new (history kept short).
 *
 * @param legs per point, the stretch of training it runs next (successive halving)
 * @param decisions the rung decisions made so far
 */
public record SweepCarry(List<StageReport> stages, DatasetArtifact dataset, FeaturesArtifact features, KnnArtifact knn,
    CmaxResult cmax, List<TrialResult> trials, Map<String, Integer> legs, List<RungDecision> decisions) {

  /** Carries from before schedules have neither. */
  public SweepCarry {
    // Sorted, so that the carry serialises the same way in every JVM.
    legs = legs == null ? Map.of() : Collections.unmodifiableSortedMap(new TreeMap<>(legs));
    decisions = decisions == null ? List.of() : List.copyOf(decisions);
  }
}
