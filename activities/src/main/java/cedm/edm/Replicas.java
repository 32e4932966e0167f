package cedm.edm;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Data-parallel training over several devices, as EDM's DDP ranks: one {@link Replica} per device,
 * the first on the caller's thread and the others on their own. The first replica's parameters are
 * the network itself; the others hold copies.
 */
final class Replicas implements AutoCloseable {
  private final List<NDManager> managers = new ArrayList<>();
  private final ExecutorService pool;
  private final List<Replica> replicas = new ArrayList<>();

  /** A manager per device (the same device may appear several times: replicas on the CPU). */
  Replicas(List<Device> devices) {
    try {
      devices.forEach(d -> managers.add(NDManager.newBaseManager(d)));
    } catch (RuntimeException e) {
      managers.forEach(NDManager::close);
      throw e;
    }
    pool = devices.size() > 1 ? Executors.newFixedThreadPool(devices.size() - 1, threads()) : null;
  }

  /** The first device's manager, which holds the network, its EMA and Adam's state. */
  NDManager first() {
    return managers.get(0);
  }

  /** The first replica trains {@code net} itself; the others get copies on their devices. */
  void attach(NetworkParameters net) {
    replicas.add(new Replica(0, managers.get(0), net));
    for (int r = 1; r < managers.size(); r++) {
      NetworkParameters copy = net.copy(managers.get(r));
      copy.requireGradients();
      replicas.add(new Replica(r, managers.get(r), copy));
    }
  }

  /**
   * Every replica runs its rounds of the step (replica 0 on this thread, which also keeps the
   * activity alive through {@code listener}); returns the sum of their per-pixel losses. The first
   * failure stops the others after their current round and comes out as a {@link Replica.Failure}.
   */
  double accumulate(EdmPrecond precond, AugmentPipe pipe, TrainingData data, int[] rows, StepPlan plan, long stepSeed,
      double dropoutP, TrainingListener listener) {
    AtomicBoolean abort = new AtomicBoolean();
    Runnable stopIfAborted = () -> {
      if (abort.get()) {
        throw new CancellationException("another replica failed");
      }
    };
    List<Future<Double>> others = new ArrayList<>();
    for (Replica r : replicas.subList(1, replicas.size())) {
      others.add(pool.submit(() -> r.accumulate(precond, pipe, data, rows, plan, stepSeed, dropoutP, stopIfAborted)));
    }
    boolean ok = false;
    try {
      double lossSum = replicas.get(0).accumulate(precond, pipe, data, rows, plan, stepSeed, dropoutP, () -> {
        listener.alive();
        stopIfAborted.run();
      });
      for (Future<Double> f : others) {
        lossSum += await(f, listener);
      }
      ok = true;
      return lossSum;
    } finally {
      if (!ok) {
        // The other replicas stop after their current round; the managers close only once they have.
        abort.set(true);
        others.forEach(Replicas::awaitQuietly);
      }
    }
  }

  /** Sums the replicas' gradients into the first's, in replica order (DDP's all-reduce). */
  void sumGradients() {
    for (Replica r : replicas.subList(1, replicas.size())) {
      r.addGradientsTo(replicas.get(0));
    }
  }

  /** Copies the updated weights to the other replicas. */
  void broadcastWeights() {
    for (Replica r : replicas.subList(1, replicas.size())) {
      r.copyFrom(replicas.get(0));
    }
  }

  @Override
  public void close() {
    if (pool != null) {
      pool.shutdown();
    }
    managers.forEach(NDManager::close);
  }

  private static ThreadFactory threads() {
    AtomicInteger count = new AtomicInteger(1);
    return r -> {
      Thread t = new Thread(r, "cedm-replica-" + count.getAndIncrement());
      t.setDaemon(true);
      return t;
    };
  }

  /** Waits for a replica, keeping the activity alive; its failure comes out as thrown. */
  private static double await(Future<Double> f, TrainingListener listener) {
    while (true) {
      try {
        return f.get(5, TimeUnit.SECONDS);
      } catch (TimeoutException e) {
        listener.alive();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while replicas trained", e);
      } catch (ExecutionException e) {
        throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
      }
    }
  }

  /** Waits until the replica's task has ended, even through interrupts (its managers close next). */
  private static void awaitQuietly(Future<Double> f) {
    boolean interrupted = false;
    while (!f.isDone()) {
      try {
        f.get();
      } catch (InterruptedException e) {
        interrupted = true;
      } catch (ExecutionException | CancellationException e) {
        // The step has already failed with the first error; this only waits for the thread to finish.
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }
}
