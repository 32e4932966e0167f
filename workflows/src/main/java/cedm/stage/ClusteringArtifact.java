package cedm.stage;

import cedm.spec.ClusteringMethod;
import java.util.List;
import java.util.Locale;

/**
 * A clustering: its artifact holds the raw assignments and the cluster sizes; this record carries
 * what the C_max search and the reports read.
 *
 * @param used clusters holding at least one training image
 * @param utilisation r_C = used / clusters
 * @param klFromUniform KL(uniform over the used clusters || q)
 * @param headLosses TEMI: each head's mean loss in the last epoch (empty for k-means)
 * @param bestHead TEMI: the head whose teacher assigned the clusters (-1 for k-means)
 * @param objective TEMI: the best head's loss; k-means: the inertia
 * @param scores agreement with the dataset's labels, or null when it has none
 */
public record ClusteringArtifact(
    String artifactId,
    boolean reused,
    ClusteringMethod method,
    int clusters,
    int used,
    double utilisation,
    double klFromUniform,
    List<Double> headLosses,
    int bestHead,
    double objective,
    ClusterScores scores) implements StageOutput {

  @Override
  public String describe() {
    String s = String.format(Locale.ROOT, "%s C=%d: %d used, r_C %.3f, KL %.3f", method.id(), clusters, used,
        utilisation, klFromUniform);
    return scores == null ? s : s + String.format(Locale.ROOT, ", ANMI %.3f, ACC %.3f", scores.anmi(), scores.acc());
  }
}
