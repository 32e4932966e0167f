package cedm.edm;

import ai.djl.ndarray.NDArray;
import cedm.optim.Scalars;
import java.util.function.Function;

/**
 * EDM's training loss (edm:training/loss.py EDMLoss): sigma = exp(P_std z + P_mean) per image,
 * weight = (s^2+sd^2)/(s sd)^2, loss = weight (D(y + n s, s) - y)^2 per pixel. The random draws
 * come from the caller, so a step is a pure function of its draws.
 */
public final class EdmLoss {
  public static final double P_MEAN = -1.2;
  public static final double P_STD = 1.2;

  private EdmLoss() {}

  /**
   * Per-pixel weighted loss for (augmented) images {@code y} [B,C,H,W]; {@code rndNormal} [B]
   * and {@code noise} [B,C,H,W] are standard normal draws, {@code dropout} the masks or null.
   */
  public static NDArray perPixel(EdmPrecond precond, Function<String, NDArray> params, NDArray y, NDArray labels,
      NDArray augmentLabels, NDArray rndNormal, NDArray noise, DropoutMasks dropout) {
    NDArray sigma = Scalars.add(Scalars.mul(rndNormal, P_STD), P_MEAN).exp().reshape(-1, 1, 1, 1);
    double sd = EdmPrecond.SIGMA_DATA;
    NDArray weight = Scalars.add(sigma.square(), sd * sd).div(Scalars.mul(sigma, sd).square());
    NDArray n = noise.mul(sigma);
    NDArray denoised = precond.denoise(params, y.add(n), sigma.reshape(-1), labels, augmentLabels, dropout);
    return weight.mul(denoised.sub(y).square());
  }
}
