package cedm.temi;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import cedm.optim.Scalars;

/**
 * TEMI's loss for H heads on a batch of B pairs (x, x'), both views concatenated along the batch
 * axis (TEMI's MultiHeadWMI with the TEMI weight):
 *
 * <pre>
 * q_t, q_s     teacher / student softmax(logits / temperature), per head
 * p_h         <- m p_h + (1 - m) mean over both views of q_t          (before the loss)
 * w(x, x')     = mean over heads of sum_k q_t(k|x) q_t(k|x')            (no gradient)
 * L_h          = mean over (v, w) in {(x, x'), (x', x)} of
 *                mean_batch[ -w log sum_k (q_s(k|v) q_t(k|w))^beta / p_h(k) ]
 * </pre>
 *
 * The training loss is the mean of L_h over heads.
 */
public final class TemiLoss {
  private final double beta;
  private final double studentTemp;
  private final double teacherTemp;
  private final double priorMomentum;

  public TemiLoss(double beta, double studentTemp, double teacherTemp, double priorMomentum) {
    this.beta = beta;
    this.studentTemp = studentTemp;
    this.teacherTemp = teacherTemp;
    this.priorMomentum = priorMomentum;
  }

  /** The per-head losses [H] and the updated priors [H, C]. */
  public record Result(NDArray headLosses, NDArray priors) {}

  /**
   * @param studentLogits [H, 2B, C], the first B rows from x, the next B from x'
   * @param teacherLogits [H, 2B, C], without gradient
   * @param priors [H, C] before this step
   */
  public Result apply(NDArray studentLogits, NDArray teacherLogits, NDArray priors) {
    long b = studentLogits.getShape().get(1) / 2;
    NDArray teacher = Scalars.div(teacherLogits.stopGradient(), teacherTemp).softmax(2);
    NDArray updated = Scalars.mul(priors, priorMomentum).add(Scalars.mul(teacher.mean(new int[] {1}), 1 - priorMomentum));
    NDArray t0 = teacher.get(new NDIndex(":, :{}", b));
    NDArray t1 = teacher.get(new NDIndex(":, {}:", b));
    NDArray weight = t0.mul(t1).sum(new int[] {2}).mean(new int[] {0});
    NDArray student = Scalars.div(studentLogits, studentTemp).softmax(2);
    NDArray s0 = student.get(new NDIndex(":, :{}", b));
    NDArray s1 = student.get(new NDIndex(":, {}:", b));
    NDArray prior = updated.expandDims(1);
    NDArray first = pairLoss(s1, t0, prior, weight);
    NDArray second = pairLoss(s0, t1, prior, weight);
    return new Result(Scalars.div(first.add(second), 2), updated);
  }

  /** mean_batch[-w log sum_k (q_s q_t)^beta / p] for each head: [H]. */
  private NDArray pairLoss(NDArray studentView, NDArray teacherView, NDArray prior, NDArray weight) {
    NDArray pmi = Scalars.pow(studentView.mul(teacherView), beta).div(prior).sum(new int[] {2}).log();
    return pmi.mul(weight).neg().mean(new int[] {1});
  }
}
