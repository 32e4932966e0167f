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

  /** Standard error of the mean over the sets (sample standard deviation / sqrt(sets)); 0 for one set. */
  public double standardError() {
    int n = fid.size();
    if (n < 2) {
      return 0;
    }
    double mean = mean();
    double ss = fid.stream().mapToDouble(v -> (v - mean) * (v - mean)).sum();
    return Math.sqrt(ss / (n - 1) / n);
  }
}
