package cedm.workflow;

import cedm.spec.ClusteringMethod;
import cedm.spec.GridSpec;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The rung rule of successive halving (Jamieson and Talwalkar 2016; Li et al. 2018): of n points
 * the best ceil(n / eta) by mean FID continue. Beyond the textbook rule, a point whose mean is
 * within {@code noise_sigmas} standard errors of the cut's is kept, so sampling noise alone never
 * stops a point. The noise is the variance of one set's FID pooled over every point's sets (FID's
 * sampling noise is much the same across points of one rung, and a few sets per point would give
 * each its own variance from one or two degrees of freedom). Pure and deterministic: workflows call it.
 */
public final class SuccessiveHalving {
  private static final Comparator<RungScore> BEST_FIRST = Comparator.comparing((RungScore s) -> !s.scored())
      .thenComparingDouble(s -> s.scored() ? s.mean() : 0)
      .thenComparing(RungScore::pointId);

  private SuccessiveHalving() {}

  public static RungDecision decide(ClusteringMethod method, int rung, double kimg, List<RungScore> scores,
      GridSpec.SuccessiveHalving rule) {
    List<RungScore> ranked = scores.stream().sorted(BEST_FIRST).toList();
    List<RungScore> scored = ranked.stream().filter(RungScore::scored).toList();
    int keep = (scored.size() + rule.eta() - 1) / rule.eta();
    RungScore cut = scored.isEmpty() ? null : scored.get(Math.max(keep, 1) - 1);
    double pooled = pooledVariance(scored);
    List<String> kept = new ArrayList<>();
    List<String> guarded = new ArrayList<>();
    List<String> stopped = new ArrayList<>();
    for (int i = 0; i < ranked.size(); i++) {
      RungScore s = ranked.get(i);
      if (!s.scored() || i < keep) {
        kept.add(s.pointId());
      } else if (withinNoise(s, cut, pooled, rule.noiseSigmas())) {
        kept.add(s.pointId());
        guarded.add(s.pointId());
      } else {
        stopped.add(s.pointId());
      }
    }
    return new RungDecision(method, rung, kimg, ranked, cut, pooled, kept, guarded, stopped, List.of());
  }

  /** The variance of one set's FID, pooled over the points' sets; 0 without a degree of freedom. */
  static double pooledVariance(List<RungScore> scored) {
    double squares = scored.stream().mapToDouble(RungScore::squares).sum();
    int freedom = scored.stream().mapToInt(s -> s.fid().size() - 1).sum();
    return freedom > 0 ? squares / freedom : 0;
  }

  /**
   * Whether a point that reached the rung after its decision (added later) continues: it must be
   * as good as the decision's cut, or within noise of it.
   */
  public static boolean passes(RungScore score, RungDecision decision, GridSpec.SuccessiveHalving rule) {
    if (!score.scored() || decision.cut() == null) {
      return true;
    }
    return score.mean() <= decision.cut().mean()
        || withinNoise(score, decision.cut(), decision.pooledVariance(), rule.noiseSigmas());
  }

  /** The difference of the means is within noiseSigmas standard errors of the difference. */
  static boolean withinNoise(RungScore s, RungScore cut, double pooledVariance, double noiseSigmas) {
    double se = Math.sqrt(pooledVariance / s.fid().size() + pooledVariance / cut.fid().size());
    return noiseSigmas > 0 && s.mean() - cut.mean() <= noiseSigmas * se;
  }
}
