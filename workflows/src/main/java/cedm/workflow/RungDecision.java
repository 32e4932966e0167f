package cedm.workflow;

import cedm.spec.ClusteringMethod;
import java.util.List;

/**
 * What successive halving decided at one rung for one method's points.
 *
 * @param rung index of the rung, from 0
 * @param kimg where the rung is
 * @param scores every point compared, best first (unscored ones last)
 * @param cut the worst point that made the cut on rank alone: the bar for the others
 * @param kept the points that continue, in rank order
 * @param guarded those among kept only because they are within noise of the cut
 * @param stopped the points that stop here
 */
public record RungDecision(ClusteringMethod method, int rung, double kimg, List<RungScore> scores, RungScore cut,
    List<String> kept, List<String> guarded, List<String> stopped) {
  public RungDecision {
    scores = List.copyOf(scores);
    kept = List.copyOf(kept);
    guarded = List.copyOf(guarded);
    stopped = List.copyOf(stopped);
  }

  /** What became of a point here, in words. */
  public String outcome(RungScore s) {
    if (stopped.contains(s.pointId())) {
      return "stopped";
    }
    if (!s.scored()) {
      return "continues (trained past this rung before: no snapshot)";
    }
    if (guarded.contains(s.pointId())) {
      return "continues (within noise of the cut)";
    }
    return s.pointId().equals(cut.pointId()) ? "continues (the cut)" : "continues";
  }
}
