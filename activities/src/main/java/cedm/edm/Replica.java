package cedm.edm;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import cedm.optim.Autograd;
import cedm.optim.Scalars;
import java.nio.ByteBuffer;
import java.util.Map;

/**
 * One device's copy of the network in data-parallel training. It computes its share of a step's
 * batch in accumulation rounds; the gradients of all rounds add up in its parameters' gradients
 * (torch accumulates them), each round's loss scaled by 1/batch as EDM's loss.sum() *
 * (1/batch_gpu_total) with DDP's mean over ranks does. The first replica's parameters are the
 * network itself; the others hold copies that {@link #copyFrom} refreshes after each step.
 */
final class Replica {
  /** A failure while this replica computed, with the device it happened on. */
  static final class Failure extends RuntimeException {
    final transient Replica replica;

    Failure(Replica replica, Throwable cause) {
      super(cause.getMessage(), cause);
      this.replica = replica;
    }
  }

  final int index;
  final NDManager manager;
  final NetworkParameters params;

  Replica(int index, NDManager manager, NetworkParameters params) {
    this.index = index;
    this.manager = manager;
    this.params = params;
  }

  Device device() {
    return manager.getDevice();
  }

  /**
   * Runs this replica's rounds of the step on {@code rows} (the whole batch's dataset rows) and
   * returns the sum of the per-pixel losses of its images. {@code afterRound} runs after each round.
   */
  double accumulate(EdmPrecond precond, AugmentPipe pipe, TrainingData data, int[] rows, StepPlan plan,
      long stepSeed, double dropoutP, Runnable afterRound) {
    try {
      double lossSum = 0;
      for (int round = 0; round < plan.rounds(); round++) {
        lossSum += round(precond, pipe, data, rows, plan, plan.first(index, round), stepSeed, dropoutP);
        afterRound.run();
      }
      return lossSum;
    } catch (RuntimeException e) {
      throw new Failure(this, e);
    }
  }

  private double round(EdmPrecond precond, AugmentPipe pipe, TrainingData data, int[] rows, StepPlan plan, int first,
      long stepSeed, double dropoutP) {
    int n = plan.roundSize();
    try (NDScope scope = new NDScope()) {
      scope.suppressNotUsedWarning();
      NDArray images = images(manager, data, rows, first, n);
      NDArray labels = oneHot(manager, data, rows, first, n);
      ImageDraws.Drawn drawn = ImageDraws.draw(manager, stepSeed, first, n,
          new Shape(data.channels(), data.height(), data.width()), precond.net().dropoutLayers(), dropoutP);
      AugmentPipe.Result augmented = pipe == null ? null : pipe.apply(images, ImageDraws.augment(stepSeed, first, n));
      NDArray y = augmented == null ? images : augmented.images();
      NDArray noise = drawn.noise();
      NDArray[] perPixel = new NDArray[1];
      Autograd.backward(() -> {
        perPixel[0] = EdmLoss.perPixel(precond, params, y, labels, augmented == null ? null : augmented.labels(),
            drawn.rndNormal(), noise, drawn.dropout());
        return Scalars.div(perPixel[0].sum(), plan.batch());
      });
      return perPixel[0].sum().getFloat();
    }
  }

  /** Adds this replica's gradients into {@code into}'s, then zeroes its own (grad mode off). */
  void addGradientsTo(Replica into) {
    JniUtils.setGradMode(false);
    try (NDManager scratch = into.manager.newSubManager()) {
      for (Map.Entry<String, NDArray> e : params.values().entrySet()) {
        try (NDArray grad = e.getValue().getGradient();
            NDArray target = into.params.apply(e.getKey()).getGradient();
            NDArray moved = NetworkParameters.moveCopy(grad, scratch)) {
          target.addi(moved);
          grad.set(new NDIndex("..."), 0f);
        }
      }
    }
  }

  /** Overwrites this replica's weights with {@code source}'s (after the optimiser step). */
  void copyFrom(Replica source) {
    JniUtils.setGradMode(false);
    try (NDManager scratch = manager.newSubManager()) {
      for (Map.Entry<String, NDArray> e : params.values().entrySet()) {
        try (NDArray moved = NetworkParameters.moveCopy(source.params.apply(e.getKey()), scratch)) {
          e.getValue().set(new NDIndex("..."), moved);
        }
      }
    }
  }

  /** uint8 NHWC rows -> float32 NCHW in [-1, 1], as EDM's images / 127.5 - 1. */
  static NDArray images(NDManager manager, TrainingData data, int[] rows, int first, int n) {
    int size = data.imageBytes();
    byte[] bytes = new byte[n * size];
    for (int i = 0; i < n; i++) {
      System.arraycopy(data.images(), rows[first + i] * size, bytes, i * size, size);
    }
    NDArray u8 = manager.create(ByteBuffer.wrap(bytes), new Shape(n, data.height(), data.width(), data.channels()),
        DataType.UINT8);
    return u8.toType(DataType.FLOAT32, false).transpose(0, 3, 1, 2).div(127.5).sub(1);
  }

  static NDArray oneHot(NDManager manager, TrainingData data, int[] rows, int first, int n) {
    if (data.labels() == null) {
      return null;
    }
    float[] v = new float[n * data.labelDim()];
    for (int i = 0; i < n; i++) {
      v[i * data.labelDim() + data.labels()[rows[first + i]]] = 1;
    }
    return manager.create(v, new Shape(n, data.labelDim()));
  }
}
