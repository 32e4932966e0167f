package cedm.workflow;

import java.util.List;

/**
 * A point of a trial's FID curve (the paper's Fig. 2).
 *
 * @param kimg training images seen, in thousands
 * @param fid FID of each sample set (one for snapshots, the spec's sets for the final model)
 * @param evaluationId the evaluation artifact it comes from
 */
public record CurvePoint(double kimg, List<Double> fid, String evaluationId) {
  public double meanFid() {
    return fid.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
  }
}
