package cedm.stage;

import java.util.Locale;

/**
 * The EMA weights of a training at {@code kimg}, in the layout of a trained model's artifact.
 *
 * @param artifactId null when the training had already passed {@code kimg} without keeping a
 *     snapshot there (evaluation during training was turned on later): no snapshot can be made
 * @param trainingId the training it belongs to
 */
public record SnapshotArtifact(String artifactId, boolean reused, String trial, double kimg, String trainingId)
    implements StageOutput {

  @Override
  public String describe() {
    return artifactId == null
        ? String.format(Locale.ROOT, "EDM %s: no snapshot at %.1f kimg (trained past it before)", trial, kimg)
        : String.format(Locale.ROOT, "EDM %s: snapshot at %.1f kimg", trial, kimg);
  }
}
