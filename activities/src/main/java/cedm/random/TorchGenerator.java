package cedm.random;

import ai.djl.pytorch.jni.JniUtils;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * torch's default generators are process-wide, and DJL offers no per-call generator. Code that
 * draws from them (dropout, noise, augmentation, latents) runs here: under one lock, after
 * seeding every device's generator with its own seed, so its draws depend on that seed only,
 * whatever else the process runs. On a GPU the lock is held while kernels are queued, not run.
 */
public final class TorchGenerator {
  private static final ReentrantLock LOCK = new ReentrantLock();

  private TorchGenerator() {}

  public static <T> T seeded(long seed, Supplier<T> body) {
    LOCK.lock();
    try {
      JniUtils.setSeed(seed & Long.MAX_VALUE);
      return body.get();
    } finally {
      LOCK.unlock();
    }
  }
}
