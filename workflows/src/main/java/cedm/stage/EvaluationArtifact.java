package cedm.stage;

import cedm.spec.EvaluationSpec.Result;
import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The scores of one model: each metric result ({@code fid}, {@code fdd}, {@code precision} ...)
 * with one value per sample set, in the spec's metric order; the artifact also holds each set's
 * statistics. {@code proxy}: computed with the builtin network, not comparable with papers.
 */
public record EvaluationArtifact(
    String artifactId,
    boolean reused,
    String trial,
    boolean proxy,
    int samplesPerSet,
    Map<String, List<Double>> scores) implements StageOutput {

  public EvaluationArtifact {
    scores = scores == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(scores));
  }

  /**
   * Also reads the artifact as workflows recorded it before scores were a map, with a list per
   * metric field, so their histories still replay.
   */
  @JsonCreator
  static EvaluationArtifact read(@JsonProperty("artifactId") String artifactId,
      @JsonProperty("reused") boolean reused, @JsonProperty("trial") String trial,
      @JsonProperty("proxy") boolean proxy, @JsonProperty("samplesPerSet") int samplesPerSet,
      @JsonProperty("scores") Map<String, List<Double>> scores, @JsonProperty("fid") List<Double> fid,
      @JsonProperty("fdd") List<Double> fdd) {
    Map<String, List<Double>> all = new LinkedHashMap<>();
    if (fid != null && !fid.isEmpty()) {
      all.put("fid", fid);
    }
    if (fdd != null && !fdd.isEmpty()) {
      all.put("fdd", fdd);
    }
    if (scores != null) {
      all.putAll(scores);
    }
    return new EvaluationArtifact(artifactId, reused, trial, proxy, samplesPerSet, all);
  }

  /** FID per set; empty when the spec's metrics left it out. */
  public List<Double> fid() {
    return result(Result.FID.id());
  }

  /** One result per set; empty when not computed. */
  public List<Double> result(String name) {
    return scores.getOrDefault(name, List.of());
  }

  /** How a result is named to people: FID and FDD in capitals, proxy ones marked. */
  public static String displayName(String result, boolean proxy) {
    String name = distance(result) ? result.toUpperCase(Locale.ROOT) : result;
    return proxy ? "proxy " + name : name;
  }

  /** Mean +- std over sets: distances to 2 decimals, shares (precision ...) to 3. */
  public static String meanStd(String result, Summary s) {
    return String.format(Locale.ROOT, distance(result) ? "%.2f +- %.2f" : "%.3f +- %.3f", s.mean(), s.std());
  }

  private static boolean distance(String result) {
    return Result.of(result).distance();
  }

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
    int sets = scores.values().stream().mapToInt(List::size).max().orElse(0);
    return scores.entrySet().stream()
        .map(e -> displayName(e.getKey(), proxy) + " "
            + (distance(e.getKey()) ? Summary.of(e.getValue()).toString() : meanStd(e.getKey(), Summary.of(e.getValue()))))
        .collect(Collectors.joining(", ")) + String.format(Locale.ROOT, " over %d x %d samples", sets, samplesPerSet);
  }
}
