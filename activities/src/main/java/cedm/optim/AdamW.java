package cedm.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import java.util.HashMap;
import java.util.Map;

/**
 * AdamW with PyTorch's semantics (decoupled weight decay, bias correction, eps outside the square
 * root), with state that can be saved and restored exactly. Each parameter counts its own steps,
 * as torch does: a parameter without a gradient in a step (TEMI's frozen last layer) is not touched.
 */
public final class AdamW {
  private final double beta1;
  private final double beta2;
  private final double eps;
  private final Map<String, NDArray> firstMoments = new HashMap<>();
  private final Map<String, NDArray> secondMoments = new HashMap<>();
  private final Map<String, Long> steps = new HashMap<>();

  public AdamW(double beta1, double beta2, double eps) {
    this.beta1 = beta1;
    this.beta2 = beta2;
    this.eps = eps;
  }

  /**
   * Allocates {@code param}'s zero moments now rather than at its first step (the result is the
   * same), so that a run's memory peaks in its first step and an out-of-memory error comes early.
   */
  public void prepare(String name, NDArray param, NDManager stateManager) {
    firstMoments.computeIfAbsent(name, n -> persistent(stateManager.zeros(param.getShape(), param.getDataType())));
    secondMoments.computeIfAbsent(name, n -> persistent(stateManager.zeros(param.getShape(), param.getDataType())));
  }

  /** One update of {@code param} (in place) from {@code grad}. */
  public void step(String name, NDArray param, NDArray grad, double lr, double weightDecay, NDManager stateManager) {
    long t = steps.merge(name, 1L, Long::sum);
    prepare(name, param, stateManager);
    NDArray m = firstMoments.get(name);
    NDArray v = secondMoments.get(name);
    if (weightDecay != 0) {
      param.muli(1 - lr * weightDecay);
    }
    m.muli(beta1).addi(grad.mul(1 - beta1));
    v.muli(beta2).addi(grad.square().mul(1 - beta2));
    double correction1 = 1 - Math.pow(beta1, t);
    double correction2 = Math.sqrt(1 - Math.pow(beta2, t));
    NDArray denominator = v.sqrt().div(correction2).add(eps);
    param.subi(m.div(denominator).mul(lr / correction1));
  }

  /** Optimiser state outlives the step's NDScope. */
  private static NDArray persistent(NDArray state) {
    NDScope.unregister(state);
    return state;
  }

  /** Moments by parameter name ("m." and "v." prefixes) for checkpoints. */
  public Map<String, NDArray> moments() {
    Map<String, NDArray> all = new HashMap<>();
    firstMoments.forEach((k, v) -> all.put("m." + k, v));
    secondMoments.forEach((k, v) -> all.put("v." + k, v));
    return all;
  }

  public Map<String, Long> steps() {
    return Map.copyOf(steps);
  }

  public void restore(Map<String, NDArray> moments, Map<String, Long> stepCounts) {
    moments.forEach((k, v) -> (k.startsWith("m.") ? firstMoments : secondMoments).put(k.substring(2), v));
    steps.putAll(stepCounts);
  }
}
