package cedm.edm;

import ai.djl.ndarray.NDArray;
import cedm.optim.Scalars;
import java.util.function.Function;

/**
 * EDM's preconditioning (edm:training/networks.py EDMPrecond):
 * D(x, sigma) = c_skip x + c_out F(c_in x, c_noise), with c_skip = sd^2/(s^2+sd^2),
 * c_out = s sd/sqrt(s^2+sd^2), c_in = 1/sqrt(sd^2+s^2), c_noise = ln(s)/4, in float32.
 */
public final class EdmPrecond {
  public static final double SIGMA_DATA = 0.5;

  private final SongUNet net;

  public EdmPrecond(SongUNet net) {
    this.net = net;
  }

  public SongUNet net() {
    return net;
  }

  /**
   * The denoised images for noisy {@code x} [B,C,H,W] at noise levels {@code sigma} [B];
   * {@code labels} one-hot [B, label_dim] or null (on a conditional network: zero labels, as
   * EDMPrecond does), {@code augmentLabels} [B, 9] or null, {@code dropout} the pass's masks or null.
   */
  public NDArray denoise(Function<String, NDArray> params, NDArray x, NDArray sigma, NDArray labels,
      NDArray augmentLabels, DropoutMasks dropout) {
    NDArray s = sigma.reshape(-1, 1, 1, 1);
    NDArray s2 = s.square();
    double sd2 = SIGMA_DATA * SIGMA_DATA;
    NDArray cSkip = Scalars.rdiv(sd2, Scalars.add(s2, sd2));
    NDArray cOut = Scalars.mul(s, SIGMA_DATA).div(Scalars.add(s2, sd2).sqrt());
    NDArray cIn = Scalars.rdiv(1, Scalars.add(s2, sd2).sqrt());
    NDArray cNoise = Scalars.div(s.log(), 4).reshape(-1);
    int labelDim = net.config().labelDim();
    NDArray classLabels = labelDim > 0 && labels == null
        ? x.getManager().zeros(new ai.djl.ndarray.types.Shape(1, labelDim), x.getDataType()) : labels;
    NDArray f = net.forward(params, cIn.mul(x), cNoise, classLabels, augmentLabels, dropout);
    return cSkip.mul(x).add(cOut.mul(f));
  }
}
