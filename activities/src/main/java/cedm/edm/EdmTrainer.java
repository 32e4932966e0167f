package cedm.edm;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.pytorch.jni.JniUtils;
import cedm.io.BadInputException;
import cedm.io.Safetensors;
import cedm.optim.AdamW;
import cedm.random.Seeds;
import cedm.random.Shuffle;
import cedm.spec.TrainingSpec;
import cedm.store.Checkpoints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * EDM's training loop (edm:training/training_loop.py) for one grid point: EDMLoss with
 * AugmentPipe, Adam with the lr ramp-up, gradients cleaned with nan_to_num, EMA with the
 * half-life rule. Unlike EDM, a checkpoint holds everything a step depends on (weights, EMA, Adam
 * state, images seen, data position), and every random draw is seeded from (seed, step) and the
 * data order from (seed, epoch), so a resumed run continues bit for bit.
 *
 * <p>A step's batch is split as its {@link StepPlan} says: over the devices (one {@link Replica}
 * each, data parallel, the others on their own threads) and into accumulation rounds of batch_gpu
 * images. Every image's draws come from its own seed ({@link ImageDraws}), and the replicas'
 * gradients are summed in replica order, so the split changes results only in float rounding.
 */
public final class EdmTrainer {
  private static final Logger log = LoggerFactory.getLogger(EdmTrainer.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final long STEP_STREAM = 1L << 40;
  private static final long ORDER_STREAM = 2L << 40;

  /**
   * Progress at a tick: kimg done of total, mean per-pixel loss over the tick, throughput.
   *
   * @param learningRate the rate of the tick's last step, after the ramp-up
   * @param checkpoint the newest checkpoint, or null before the first one
   */
  public record Progress(double kimg, double totalKimg, double loss, double imagesPerSecond, double learningRate,
      Checkpoints.Checkpoint checkpoint) {
    public double checkpointKimg() {
      return checkpoint == null ? 0 : checkpoint.step() / 1000.0;
    }
  }

  /**
   * Told where training starts (loss NaN, as no step ran yet), of every tick's progress, and of
   * every step (to stay visibly alive, and to be cancelled).
   */
  @FunctionalInterface
  public interface Listener {
    default void started(Progress at) {}

    void tick(Progress progress);

    default void step(long nimg) {}

    /** Called after each accumulation round and every few seconds of a long step: still alive. */
    default void alive() {}
  }

  /**
   * The finished run; {@code resumedAtNimg} is where it picked up an interrupted run from a
   * checkpoint, 0 for a fresh start and for a run that continues where an earlier one was asked to
   * stop (the stretches of evaluation during training).
   */
  public record Outcome(long nimg, long steps, double loss, long resumedAtNimg, long parameters) {}

  private final TrainingSpec spec;
  private final NetworkConfig config;
  private final long seed;
  private final List<Device> devices;

  /** Trains on {@code devices}, one replica each (the same device may appear several times: replicas on the CPU). */
  public EdmTrainer(TrainingSpec spec, NetworkConfig config, long seed, List<Device> devices) {
    if (devices.isEmpty()) {
      throw new IllegalArgumentException("no device to train on");
    }
    this.spec = spec;
    this.config = config;
    this.seed = seed;
    this.devices = List.copyOf(devices);
  }

  private static final class State {
    NetworkParameters net;
    NetworkParameters ema;
    AdamW adam;
    long nimg;
    long step;
    int batch;
    int epoch;
    int position;
    /** Restored from a checkpoint written where an earlier call was asked to stop. */
    boolean atPlannedStop;
  }

  /**
   * Trains until duration_mimg, resuming from the newest valid checkpoint, and writes the EMA
   * weights to {@code emaOut}. {@code stopAtNimg} (if positive) stops at the first step that
   * reaches it, with a checkpoint there, so that the next call continues exactly (snapshots for
   * evaluation during training); {@code emaOut} then holds the EMA of that moment.
   */
  public Outcome train(TrainingData data, Checkpoints checkpoints, Path emaOut, Listener listener,
      long stopAtNimg) throws IOException {
    SongUNet net = new SongUNet(config);
    EdmPrecond precond = new EdmPrecond(net);
    double augmentP = NetworkConfig.augmentP(spec);
    AugmentPipe pipe = augmentP > 0 ? new AugmentPipe(augmentP) : null;
    StepPlan plan = StepPlan.of(spec.batchSize(), spec.batchGpu(), devices.size(), data.count());
    if (plan.batch() < spec.batchSize()) {
      log.warn("batch_size {} is larger than the {} training images; training with batches of {}, as C-EDM does",
          spec.batchSize(), data.count(), plan.batch());
    }
    int batch = plan.batch();
    long total = Math.round(spec.durationMimg() * 1e6);
    long checkpointEvery = Math.max(1, Math.round(spec.checkpointKimg() * 1000));
    long tickEvery = Math.max(1, Math.round(spec.tickKimg() * 1000));
    List<NDManager> managers = new ArrayList<>();
    ExecutorService pool = devices.size() > 1 ? Executors.newFixedThreadPool(devices.size() - 1, replicaThreads()) : null;
    try {
      devices.forEach(d -> managers.add(NDManager.newBaseManager(d)));
      NDManager manager = managers.get(0);
      Optional<Checkpoints.Checkpoint> latest = checkpoints.latest();
      State s = latest.isPresent() ? restore(manager, net, latest.get()) : fresh(manager, net);
      if (s.batch != 0 && s.batch != batch) {
        throw new BadInputException("checkpoint " + latest.get().dir() + " was trained with batches of " + s.batch
            + ", this run's would be " + batch + " (training.batch_size capped at the images and split over "
            + "runtime.gpus_per_trial): resume with the devices that gave " + s.batch);
      }
      s.batch = batch;
      List<Replica> replicas = replicas(managers, s.net);
      Checkpoints.Checkpoint lastCheckpoint = latest.orElse(null);
      listener.started(new Progress(s.nimg / 1000.0, total / 1000.0, Double.NaN, 0,
          TrainingSchedule.learningRate(spec.lr(), spec.lrRampupKimg(), s.nimg), lastCheckpoint));
      long resumedAt = s.atPlannedStop ? 0 : s.nimg;
      if (resumedAt > 0) {
        log.info("resuming interrupted EDM training from its checkpoint at {} kimg (step {})", resumedAt / 1000.0,
            s.step);
      }
      if (plan.rounds() > 1 || plan.replicas() > 1) {
        log.info("each step: {} images over {} device(s) {}, {} round(s) of {}", batch, plan.replicas(), devices,
            plan.rounds(), plan.roundSize());
      }
      double tickLoss = 0;
      int tickSteps = 0;
      double lastLoss = Double.NaN;
      long tickStart = System.nanoTime();
      long tickImages = 0;
      int[] order = order(s.epoch, data.count());
      while (s.nimg < total && (stopAtNimg <= 0 || s.nimg < stopAtNimg)) {
        int[] rows = new int[batch];
        for (int i = 0; i < batch; i++) {
          if (s.position == data.count()) {
            s.epoch++;
            s.position = 0;
            order = order(s.epoch, data.count());
          }
          rows[i] = order[s.position++];
        }
        double loss;
        try {
          loss = step(manager, precond, pipe, data, rows, plan, replicas, pool, s, listener);
        } catch (Replica.Failure e) {
          Optional<BadInputException> oom = OutOfDeviceMemory.explain(e.getCause(), plan, e.replica.device(),
              data.height(), lastCheckpoint);
          if (oom.isPresent()) {
            throw oom.get();
          }
          throw e.getCause() instanceof RuntimeException r ? r : e;
        }
        long before = s.nimg;
        s.nimg += batch;
        s.step++;
        listener.step(s.nimg);
        tickLoss += loss;
        tickSteps++;
        tickImages += batch;
        lastLoss = loss;
        boolean done = s.nimg >= total;
        boolean stopping = stopAtNimg > 0 && s.nimg >= stopAtNimg;
        if (before / checkpointEvery != s.nimg / checkpointEvery || done) {
          lastCheckpoint = save(checkpoints, s, stopping);
        }
        if (before / tickEvery != s.nimg / tickEvery || done) {
          double seconds = (System.nanoTime() - tickStart) / 1e9;
          listener.tick(new Progress(s.nimg / 1000.0, total / 1000.0, tickLoss / tickSteps, tickImages / seconds,
              TrainingSchedule.learningRate(spec.lr(), spec.lrRampupKimg(), before), lastCheckpoint));
          tickLoss = 0;
          tickSteps = 0;
          tickImages = 0;
          tickStart = System.nanoTime();
        }
      }
      if (s.nimg < total && (lastCheckpoint == null || lastCheckpoint.step() != s.nimg)) {
        lastCheckpoint = save(checkpoints, s, true);
      }
      s.ema.save(emaOut);
      return new Outcome(s.nimg, s.step, lastLoss, resumedAt, net.layout().count());
    } finally {
      if (pool != null) {
        pool.shutdown();
      }
      managers.forEach(NDManager::close);
    }
  }

  /** The first replica trains the network itself; the others get copies on their devices. */
  private static List<Replica> replicas(List<NDManager> managers, NetworkParameters net) {
    List<Replica> replicas = new ArrayList<>();
    replicas.add(new Replica(0, managers.get(0), net));
    for (int r = 1; r < managers.size(); r++) {
      NetworkParameters copy = net.copy(managers.get(r));
      copy.requireGradients();
      replicas.add(new Replica(r, managers.get(r), copy));
    }
    return replicas;
  }

  private static java.util.concurrent.ThreadFactory replicaThreads() {
    AtomicInteger count = new AtomicInteger(1);
    return r -> {
      Thread t = new Thread(r, "cedm-replica-" + count.getAndIncrement());
      t.setDaemon(true);
      return t;
    };
  }

  private State fresh(NDManager manager, SongUNet net) {
    State s = new State();
    s.net = NetworkParameters.initialise(net.layout(), manager, initSeed(seed));
    s.ema = s.net.copy(manager);
    s.net.requireGradients();
    s.adam = new AdamW(0.9, 0.999, 1e-8);
    s.net.values().forEach((name, p) -> s.adam.prepare(name, p, manager));
    return s;
  }

  /** The epoch's image order, a pure function of (seed, epoch). */
  private int[] order(int epoch, int n) {
    return order(seed, epoch, n);
  }

  static int[] order(long seed, int epoch, int n) {
    return Shuffle.permutation(new SplittableRandom(Seeds.mix(seed, ORDER_STREAM + epoch)), n);
  }

  /** The seed of every draw of step {@code step} (noise, sigma, augmentation, dropout). */
  static long stepSeed(long seed, long step) {
    return Seeds.mix(seed, STEP_STREAM + step);
  }

  /** The seed of the network's initial weights. */
  static long initSeed(long seed) {
    return Seeds.mix(seed, -1);
  }

  /**
   * One optimiser step: every replica runs its rounds (replica 0 on this thread, which also keeps
   * the activity alive), their gradients are summed into replica 0's in replica order, then Adam,
   * the EMA, and the new weights copied to the other replicas. Returns the batch's mean per-pixel loss.
   */
  private double step(NDManager manager, EdmPrecond precond, AugmentPipe pipe, TrainingData data, int[] rows,
      StepPlan plan, List<Replica> replicas, ExecutorService pool, State s, Listener listener) {
    long stepSeed = stepSeed(seed, s.step);
    double dropoutP = config.dropout();
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
    double lossSum;
    boolean ok = false;
    try {
      lossSum = replicas.get(0).accumulate(precond, pipe, data, rows, plan, stepSeed, dropoutP, () -> {
        listener.alive();
        stopIfAborted.run();
      });
      for (Future<Double> f : others) {
        lossSum += await(f, listener);
      }
      ok = true;
    } finally {
      if (!ok) {
        // The other replicas stop after their current round; the managers close only once they have.
        abort.set(true);
        others.forEach(EdmTrainer::awaitQuietly);
      }
    }
    try (NDScope scope = new NDScope()) {
      scope.suppressNotUsedWarning();
      JniUtils.setGradMode(false);
      for (Replica r : replicas.subList(1, replicas.size())) {
        r.addGradientsTo(replicas.get(0));
      }
      double lr = TrainingSchedule.learningRate(spec.lr(), spec.lrRampupKimg(), s.nimg);
      for (Map.Entry<String, NDArray> e : s.net.values().entrySet()) {
        // A scope per parameter: Adam's temporaries go as soon as it is updated, not at the step's end.
        try (NDScope perParameter = new NDScope()) {
          perParameter.suppressNotUsedWarning();
          NDArray p = e.getValue();
          NDArray grad = p.getGradient();
          s.adam.step(e.getKey(), p, nanToNum(grad), lr, 0, manager);
          grad.set(new NDIndex("..."), 0f);
        }
      }
      double beta = TrainingSchedule.emaBeta(spec.emaHalflifeKimg(), spec.emaRampupRatio(), s.nimg, plan.batch());
      for (Map.Entry<String, NDArray> e : s.ema.values().entrySet()) {
        NDArray p = s.net.apply(e.getKey());
        e.getValue().subi(p).muli(beta).addi(p);
      }
      for (Replica r : replicas.subList(1, replicas.size())) {
        r.copyFrom(replicas.get(0));
      }
    }
    return lossSum / ((double) plan.batch() * data.imageBytes());
  }

  /** Waits for a replica, keeping the activity alive; its failure comes out as thrown. */
  private static double await(Future<Double> f, Listener listener) {
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

  /**
   * torch.nan_to_num(grad, nan=0, posinf=1e5, neginf=-1e5), always applied: asking first whether
   * anything is non-finite would wait for the device once per parameter.
   */
  static NDArray nanToNum(NDArray grad) {
    NDArray nan = grad.isNaN();
    NDArray inf = grad.isInfinite();
    NDArray cleaned = NDArrays.where(nan, grad.zerosLike(), grad);
    return NDArrays.where(inf, cleaned.sign().mul(1e5), cleaned);
  }

  /** {@code plannedStop}: written where this call was asked to stop, for the next call to continue from. */
  private Checkpoints.Checkpoint save(Checkpoints checkpoints, State s, boolean plannedStop) throws IOException {
    ObjectNode meta = JSON.createObjectNode();
    meta.put("nimg", s.nimg);
    meta.put("step", s.step);
    meta.put("epoch", s.epoch);
    meta.put("position", s.position);
    meta.put("batch", s.batch);
    meta.put("planned_stop", plannedStop);
    ObjectNode steps = meta.putObject("adam_steps");
    s.adam.steps().forEach(steps::put);
    return checkpoints.save(s.nimg, meta, dir -> {
      s.net.save(dir.resolve("net.safetensors"));
      s.ema.save(dir.resolve("ema.safetensors"));
      Safetensors.write(dir.resolve("adam.safetensors"), s.adam.moments());
    });
  }

  private State restore(NDManager manager, SongUNet net, Checkpoints.Checkpoint latest) throws IOException {
    Path dir = latest.dir();
    JsonNode meta = latest.meta();
    State s = new State();
    s.net = NetworkParameters.load(net.layout(), manager, dir.resolve("net.safetensors"));
    s.ema = NetworkParameters.load(net.layout(), manager, dir.resolve("ema.safetensors"));
    s.net.requireGradients();
    s.adam = new AdamW(0.9, 0.999, 1e-8);
    Map<String, NDArray> moments = Safetensors.read(manager, dir.resolve("adam.safetensors"));
    Map<String, Long> steps = new HashMap<>();
    meta.get("adam_steps").fields().forEachRemaining(e -> steps.put(e.getKey(), e.getValue().asLong()));
    s.adam.restore(moments, steps);
    s.nimg = meta.get("nimg").asLong();
    s.step = meta.get("step").asLong();
    s.epoch = meta.get("epoch").asInt();
    s.position = meta.get("position").asInt();
    s.batch = meta.path("batch").asInt(0);
    s.atPlannedStop = meta.path("planned_stop").asBoolean(false);
    return s;
  }
}
