package cedm.workflow;

import java.util.List;

/**
 * A point's evaluation at a rung.
 *
 * @param fid FID of each sample set; empty when the point had trained past the rung before and
 *     has no snapshot there (it is kept: cutting it would save nothing)
 * @param evaluationId the evaluation artifact, null without one
 */
public record RungScore(String pointId, List<Double> fid, String evaluationId) {
  public RungScore {
    fid = List.copyOf(fid);
  }

  public boolean scored() {
    return !fid.isEmpty();
  }

  public double mean() {
    return fid.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
  }

  /** Sum of squared deviations from the mean over the sets. */
  double squares() {
    double mean = mean();
    return fid.stream().mapToDouble(v -> (v - mean) * (v - mean)).sum();
  }
}
