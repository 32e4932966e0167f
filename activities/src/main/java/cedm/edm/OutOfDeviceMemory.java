package cedm.edm;

import ai.djl.Device;
import ai.djl.engine.EngineException;
import cedm.io.BadInputException;
import cedm.store.Checkpoints;
import java.util.Locale;
import java.util.Optional;

/**
 * Recognises the engine's out-of-memory errors (CUDA's "CUDA out of memory", the CPU allocator's
 * "can't allocate memory") and turns them into one line that says what to change. Retrying the
 * same round would fail the same way, so the stage ends; the checkpoints were written between
 * steps and stay valid.
 */
final class OutOfDeviceMemory {
  private OutOfDeviceMemory() {}

  static boolean is(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof EngineException || t instanceof OutOfMemoryError) {
        String m = String.valueOf(t.getMessage()).toLowerCase(Locale.ROOT);
        if (m.contains("out of memory") || m.contains("can't allocate memory") || m.contains("not enough memory")) {
          return true;
        }
      }
    }
    return false;
  }

  /** The one-line error for an out-of-memory {@code e} in a round of {@code plan}, if it is one. */
  static Optional<BadInputException> explain(Throwable e, StepPlan plan, Device device, int resolution,
      Checkpoints.Checkpoint checkpoint) {
    if (!is(e)) {
      return Optional.empty();
    }
    String fix = plan.roundSize() > 1
        ? "set training.batch_gpu to a smaller divisor of " + plan.perReplica() + " (e.g. " + largestDivisorBelow(
            plan.perReplica(), plan.roundSize()) + ")"
        : "one image does not fit: use a device with more memory or a smaller network";
    String resume = checkpoint == null ? "No checkpoint was written yet"
        : String.format(Locale.ROOT, "The checkpoint at %s kimg is kept and training resumes from it",
            checkpoint.step() / 1000.0);
    return Optional.of(new BadInputException(String.format(Locale.ROOT,
        "training.batch_gpu: a round of %d images of %dx%d ran out of memory on %s; %s. %s", plan.roundSize(),
        resolution, resolution, device, fix, resume), e));
  }

  /** A replica's failure as the step ends with it: out of memory, the setting to change; else its cause. */
  static BadInputException or(Replica.Failure failure, StepPlan plan, int resolution, Checkpoints.Checkpoint checkpoint)
      throws BadInputException {
    Optional<BadInputException> explained = explain(failure.getCause(), plan, failure.replica.device(), resolution,
        checkpoint);
    if (explained.isPresent()) {
      return explained.get();
    }
    throw failure.getCause() instanceof RuntimeException r ? r : failure;
  }

  private static int largestDivisorBelow(int n, int below) {
    for (int d = below - 1; d > 1; d--) {
      if (n % d == 0) {
        return d;
      }
    }
    return 1;
  }
}
