package cedm.edm;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import cedm.memory.Scoped;

/**
 * EDM's deterministic sampler (edm:generate.py edm_sampler with S_churn = 0): Heun's 2nd-order
 * method on the probability-flow ODE over t_i = (smax^(1/rho) + i/(N-1) (smin^(1/rho) -
 * smax^(1/rho)))^rho, t_N = 0, no correction on the last step (2N-1 evaluations). The state is
 * float64, as in the reference; the denoiser decides its own precision. Each step's intermediates
 * (the network's activations included) are freed when the step ends, so a batch's memory is one
 * step's working set however many steps run.
 */
public final class HeunSampler {
  /** D(x, sigma | labels) for a batch at one noise level; x and the result are float64. */
  @FunctionalInterface
  public interface Denoiser {
    NDArray denoise(NDArray x, double sigma);
  }

  private final int steps;
  private final double sigmaMin;
  private final double sigmaMax;
  private final double rho;

  public HeunSampler(int steps, double sigmaMin, double sigmaMax, double rho) {
    if (steps < 2) {
      throw new IllegalArgumentException("the sampler needs at least 2 steps, got " + steps);
    }
    this.steps = steps;
    this.sigmaMin = sigmaMin;
    this.sigmaMax = sigmaMax;
    this.rho = rho;
  }

  /** The N+1 noise levels, the last one 0. */
  public double[] noiseLevels() {
    double[] t = new double[steps + 1];
    double a = Math.pow(sigmaMax, 1 / rho);
    double b = Math.pow(sigmaMin, 1 / rho);
    for (int i = 0; i < steps; i++) {
      t[i] = Math.pow(a + (double) i / (steps - 1) * (b - a), rho);
    }
    return t;
  }

  /** Images from standard-normal {@code latents} [B, C, H, W], attached to their manager. */
  public NDArray sample(Denoiser net, NDArray latents) {
    double[] t = noiseLevels();
    NDArray x = Scoped.kept(() -> latents.toType(DataType.FLOAT64, false).mul(t[0]));
    for (int i = 0; i < steps; i++) {
      int step = i;
      NDArray previous = x;
      x = Scoped.kept(() -> step(net, previous, t[step], t[step + 1], step < steps - 1));
      previous.close();
    }
    return x;
  }

  /** One Euler step from {@code cur} to {@code next}, with Heun's correction when {@code correct}. */
  private static NDArray step(Denoiser net, NDArray x, double cur, double next, boolean correct) {
    NDArray d = x.sub(net.denoise(x, cur)).div(cur);
    NDArray xNext = x.add(d.mul(next - cur));
    if (!correct) {
      return xNext;
    }
    NDArray dPrime = xNext.sub(net.denoise(xNext, next)).div(next);
    return x.add(d.mul(0.5).add(dPrime.mul(0.5)).mul(next - cur));
  }
}
