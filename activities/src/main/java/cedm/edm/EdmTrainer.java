package cedm.edm;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.pytorch.jni.JniUtils;
import cedm.io.BadInputException;
import cedm.spec.TrainingSpec;
import cedm.store.Checkpoints;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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

  /**
   * Trains until duration_mimg, resuming from the newest valid checkpoint, and writes the EMA
   * weights to {@code emaOut}. {@code stopAtNimg} (if positive) stops at the first step that
   * reaches it, with a checkpoint there, so that the next call continues exactly (snapshots for
   * evaluation during training); {@code emaOut} then holds the EMA of that moment.
   */
  public TrainingOutcome train(TrainingData data, Checkpoints checkpoints, Path emaOut, TrainingListener listener,
      long stopAtNimg) throws IOException {
    SongUNet net = new SongUNet(config);
    EdmPrecond precond = new EdmPrecond(net);
    double augmentP = NetworkConfig.augmentP(spec);
    AugmentPipe pipe = augmentP > 0 ? new AugmentPipe(augmentP) : null;
    StepPlan plan = plan(data);
    long total = Math.round(spec.durationMimg() * 1e6);
    long end = stopAtNimg > 0 ? Math.min(total, stopAtNimg) : total;
    long checkpointEvery = Math.max(1, Math.round(spec.checkpointKimg() * 1000));
    TickMeter ticks = new TickMeter(Math.max(1, Math.round(spec.tickKimg() * 1000)), total);
    try (Replicas replicas = new Replicas(devices)) {
      Optional<Checkpoints.Checkpoint> latest = checkpoints.latest();
      TrainingState s = start(replicas.first(), net, latest, plan);
      replicas.attach(s.net);
      Checkpoints.Checkpoint lastCheckpoint = latest.orElse(null);
      listener.started(ticks.start(s.nimg, learningRate(s.nimg), lastCheckpoint));
      long resumedAt = s.atPlannedStop ? 0 : s.nimg;
      if (resumedAt > 0) {
        log.info("resuming interrupted EDM training from its checkpoint at {} kimg (step {})", resumedAt / 1000.0,
            s.step);
      }
      double loss = Double.NaN;
      ticks.restart();
      while (s.nimg < end) {
        // One step of training_loop.py: accumulate gradients, update weights, update the EMA.
        int[] rows = s.nextRows(seed, plan.batch(), data.count());
        loss = step(replicas, precond, pipe, data, rows, plan, s, listener, lastCheckpoint);
        long before = s.nimg;
        s.nimg += plan.batch();
        s.step++;
        listener.step(s.nimg);
        // Checkpoint and report, as EDM does at its snapshot and tick boundaries.
        if (before / checkpointEvery != s.nimg / checkpointEvery || s.nimg >= total) {
          lastCheckpoint = s.save(checkpoints, stopAtNimg > 0 && s.nimg >= stopAtNimg);
        }
        ticks.stepped(before, s.nimg, plan.batch(), loss, learningRate(before), lastCheckpoint).ifPresent(listener::tick);
      }
      if (s.nimg < total && (lastCheckpoint == null || lastCheckpoint.step() != s.nimg)) {
        s.save(checkpoints, true);
      }
      s.ema.save(emaOut);
      return new TrainingOutcome(s.nimg, s.step, loss, resumedAt, net.layout().count());
    }
  }

  /** The step's split over devices and rounds; a batch larger than the dataset is capped, as C-EDM does. */
  private StepPlan plan(TrainingData data) throws BadInputException {
    StepPlan plan = StepPlan.of(spec.batchSize(), spec.batchGpu(), devices.size(), data.count());
    if (plan.batch() < spec.batchSize()) {
      log.warn("batch_size {} is larger than the {} training images; training with batches of {}, as C-EDM does",
          spec.batchSize(), data.count(), plan.batch());
    }
    if (plan.rounds() > 1 || plan.replicas() > 1) {
      log.info("each step: {} images over {} device(s) {}, {} round(s) of {}", plan.batch(), plan.replicas(), devices,
          plan.rounds(), plan.roundSize());
    }
    return plan;
  }

  /** The state of the newest checkpoint, or a fresh one; a checkpoint trained with other batches is refused. */
  private TrainingState start(NDManager manager, SongUNet net, Optional<Checkpoints.Checkpoint> latest, StepPlan plan)
      throws IOException {
    TrainingState s = latest.isPresent() ? TrainingState.restore(manager, net.layout(), latest.get())
        : TrainingState.fresh(manager, net.layout(), seed);
    if (s.batch != 0 && s.batch != plan.batch()) {
      throw new BadInputException("checkpoint " + latest.get().dir() + " was trained with batches of " + s.batch
          + ", this run's would be " + plan.batch() + " (training.batch_size capped at the images and split over "
          + "runtime.gpus_per_trial): resume with the devices that gave " + s.batch);
    }
    s.batch = plan.batch();
    return s;
  }

  private double learningRate(long nimg) {
    return TrainingSchedule.learningRate(spec.lr(), spec.lrRampupKimg(), nimg);
  }

  /**
   * One optimiser step: every replica accumulates its gradients, they are summed into the
   * network's, then Adam, the EMA, and the new weights copied to the other replicas. Returns the
   * batch's mean per-pixel loss; a replica that ran out of device memory says which setting to change.
   */
  private double step(Replicas replicas, EdmPrecond precond, AugmentPipe pipe, TrainingData data, int[] rows,
      StepPlan plan, TrainingState s, TrainingListener listener, Checkpoints.Checkpoint lastCheckpoint)
      throws BadInputException {
    double lossSum;
    try {
      lossSum = replicas.accumulate(precond, pipe, data, rows, plan, TrainingSeeds.step(seed, s.step), config.dropout(),
          listener);
    } catch (Replica.Failure e) {
      throw OutOfDeviceMemory.or(e, plan, data.height(), lastCheckpoint);
    }
    try (NDScope scope = new NDScope()) {
      scope.suppressNotUsedWarning();
      JniUtils.setGradMode(false);
      replicas.sumGradients();
      updateWeights(s, replicas.first());
      updateEma(s, plan.batch());
      replicas.broadcastWeights();
    }
    return lossSum / ((double) plan.batch() * data.imageBytes());
  }

  /** Adam on the cleaned gradients at the ramped-up rate; the gradients are zeroed for the next step. */
  private void updateWeights(TrainingState s, NDManager manager) {
    double lr = learningRate(s.nimg);
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
  }

  /** ema = lerp(net, ema, beta), beta from the half-life in images, ramped up early in training. */
  private void updateEma(TrainingState s, int batch) {
    double beta = TrainingSchedule.emaBeta(spec.emaHalflifeKimg(), spec.emaRampupRatio(), s.nimg, batch);
    for (Map.Entry<String, NDArray> e : s.ema.values().entrySet()) {
      NDArray p = s.net.apply(e.getKey());
      e.getValue().subi(p).muli(beta).addi(p);
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
}
