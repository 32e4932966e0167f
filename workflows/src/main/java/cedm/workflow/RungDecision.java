package cedm.workflow;

import cedm.spec.ClusteringMethod;
import java.util.ArrayList;
import java.util.List;

/**
 * What successive halving decided at one rung for one method's points.
 *
 * @param rung index of the rung, from 0
 * @param kimg where the rung is
 * @param scores every point compared, best first (unscored ones last), then those judged later
 * @param cut the worst point that made the cut on rank alone: the bar for the others
 * @param pooledVariance the variance of one set's FID, pooled over the points' sets: the noise
 * @param kept the points that continue, in rank order
 * @param guarded those among kept only because they are within noise of the cut
 * @param stopped the points that stop here
 * @param late points added to the sweep after the decision and judged against its cut
 */
public record RungDecision(ClusteringMethod method, int rung, double kimg, List<RungScore> scores, RungScore cut,
    double pooledVariance, List<String> kept, List<String> guarded, List<String> stopped, List<String> late) {
  public RungDecision {
    scores = List.copyOf(scores);
    kept = List.copyOf(kept);
    guarded = List.copyOf(guarded);
    stopped = List.copyOf(stopped);
    late = late == null ? List.of() : List.copyOf(late);
  }

  /** The standard error of a point's mean FID: the pooled noise over its sets. */
  public double standardError(RungScore s) {
    return s.scored() ? Math.sqrt(pooledVariance / s.fid().size()) : Double.NaN;
  }

  /** This decision with a point that arrived after it, and what became of that point. */
  public RungDecision withLate(RungScore score, boolean continues) {
    List<RungScore> all = new ArrayList<>(scores);
    all.add(score);
    List<String> k = new ArrayList<>(kept);
    List<String> s = new ArrayList<>(stopped);
    (continues ? k : s).add(score.pointId());
    List<String> l = new ArrayList<>(late);
    l.add(score.pointId());
    return new RungDecision(method, rung, kimg, all, cut, pooledVariance, k, guarded, s, l);
  }

  /** What became of a point here, in words. */
  public String outcome(RungScore s) {
    String late = this.late.contains(s.pointId()) ? " (added later, held to the cut)" : "";
    if (stopped.contains(s.pointId())) {
      return "stopped" + late;
    }
    if (!s.scored()) {
      return "continues (no FID at this rung: trained past it before, or FID is not among the metrics)";
    }
    if (guarded.contains(s.pointId())) {
      return "continues (within noise of the cut)";
    }
    return (s.pointId().equals(cut.pointId()) && late.isEmpty() ? "continues (the cut)" : "continues") + late;
  }
}
