package cedm.spec;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * Grid points over C and the baselines trained next to them, and how the grid spends its
 * training: every point to the end (the paper), or successive halving over rungs.
 */
public record GridSpec(
    List<Integer> points,
    int count,
    Spacing spacing,
    List<ClusteringMethod> methods,
    boolean unconditional,
    boolean groundTruth,
    Schedule schedule,
    SuccessiveHalving successiveHalving) {

  public enum Spacing {
    @JsonProperty("log") LOG,
    @JsonProperty("linear") LINEAR
  }

  public enum Schedule implements SpecValue {
    @JsonProperty("full") FULL,
    @JsonProperty("successive_halving") SUCCESSIVE_HALVING
  }

  /**
   * Successive halving over the clustering points of each method (the baselines always run to the end).
   *
   * @param rungsMimg where the points are compared, ascending, below training.duration_mimg
   * @param eta at each rung the best 1/eta of the points (rounded up) continue from their checkpoint
   * @param sets sample sets of each rung's evaluation; their spread is the noise the guard uses
   * @param samples samples per set
   * @param noiseSigmas a point whose mean FID is within this many standard errors of the cut's is kept
   */
  public record SuccessiveHalving(List<Double> rungsMimg, int eta, int sets, int samples, double noiseSigmas) {}

  /** The rungs the clustering points stop at, in kimg; none for the full grid (and histories from before schedules). */
  public List<Double> rungKimgs() {
    if (schedule != Schedule.SUCCESSIVE_HALVING) {
      return List.of();
    }
    return successiveHalving.rungsMimg().stream().map(m -> m * 1000).toList();
  }
}
