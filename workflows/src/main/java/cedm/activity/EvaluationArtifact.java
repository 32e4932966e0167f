package cedm.activity;

import java.util.List;
import java.util.Locale;

/**
 * FID (and FDD) of one model, one value per sample set; the artifact also holds each set's
 * statistics. {@code proxy}: computed with the builtin network, not comparable with papers.
 */
public record EvaluationArtifact(
    String artifactId,
    boolean reused,
    String trial,
    boolean proxy,
    int samplesPerSet,
    List<Double> fid,
    List<Double> fdd) implements StageOutput {

  /** Mean, standard deviation (over sets, ddof 0 as numpy's default) and minimum of a metric. */
  public record Summary(double mean, double std, double min) {
    public static Summary of(List<Double> values) {
      double mean = values.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
      double var = values.stream().mapToDouble(v -> (v - mean) * (v - mean)).average().orElse(Double.NaN);
      return new Summary(mean, Math.sqrt(var), values.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN));
    }

    @Override
    public String toString() {
      return String.format(Locale.ROOT, "%.2f +- %.2f (min %.2f)", mean, std, min);
    }
  }

  @Override
  public String describe() {
    String name = proxy ? "proxy FID" : "FID";
    String s = String.format(Locale.ROOT, "%s %s over %d x %d samples", name, Summary.of(fid), fid.size(),
        samplesPerSet);
    return fdd.isEmpty() ? s : s + String.format(Locale.ROOT, ", %s %s", proxy ? "proxy FDD" : "FDD",
        Summary.of(fdd));
  }
}
