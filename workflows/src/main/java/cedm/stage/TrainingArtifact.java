package cedm.stage;

import java.util.Locale;

/**
 * A trained model: its artifact holds the EMA weights (safetensors with NVlabs/edm's names), the
 * network configuration and the class frequencies q(c) the sampler draws labels from.
 *
 * @param labelDim classes the model is conditioned on (0: unconditional)
 * @param resumedAtKimg where this run picked up from a checkpoint (0: a fresh start)
 */
public record TrainingArtifact(
    String artifactId,
    boolean reused,
    String trial,
    int labelDim,
    long parameters,
    double kimg,
    long steps,
    double loss,
    double resumedAtKimg) implements StageOutput {

  @Override
  public String describe() {
    String s = String.format(Locale.ROOT, "EDM %s: %d labels, %,d parameters, %.1f kimg in %d steps, loss %.4f", trial,
        labelDim, parameters, kimg, steps, loss);
    return resumedAtKimg > 0 ? s + String.format(Locale.ROOT, " (resumed at %.1f kimg)", resumedAtKimg) : s;
  }
}
