package cedm.edm;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import cedm.io.Safetensors;
import cedm.optim.AdamW;
import cedm.random.Seeds;
import cedm.random.Shuffle;
import cedm.random.TorchGenerator;
import cedm.spec.TrainingSpec;
import cedm.store.Checkpoints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * EDM's training loop (edm:training/training_loop.py) for one grid point: EDMLoss with
 * AugmentPipe, Adam with the lr ramp-up, gradients cleaned with nan_to_num, EMA with the
 * half-life rule. Unlike EDM, a checkpoint holds everything a step depends on (weights, EMA, Adam
 * state, images seen, data position), and every random draw is seeded from (seed, step) and the
 * data order from (seed, epoch), so a resumed run continues bit for bit.
 */
public final class EdmTrainer {
  private static final Logger log = LoggerFactory.getLogger(EdmTrainer.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final long STEP_STREAM = 1L << 40;
  private static final long ORDER_STREAM = 2L << 40;

  /** Progress at a tick: kimg done of total, mean per-pixel loss over the tick, throughput. */
  /**
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
  }

  /** The finished run; {@code resumedAtNimg} is 0 for a fresh start. */
  public record Outcome(long nimg, long steps, double loss, long resumedAtNimg, long parameters) {}

  private final TrainingSpec spec;
  private final NetworkConfig config;
  private final long seed;
  private final Device device;

  public EdmTrainer(TrainingSpec spec, NetworkConfig config, long seed, Device device) {
    this.spec = spec;
    this.config = config;
    this.seed = seed;
    this.device = device;
  }

  private static final class State {
    NetworkParameters net;
    NetworkParameters ema;
    AdamW adam;
    long nimg;
    long step;
    int epoch;
    int position;
  }

  /**
   * Trains until duration_mimg, resuming from the newest valid checkpoint, and writes the EMA
   * weights to {@code emaOut}. {@code stopAtNimg} (if positive) stops there without a checkpoint,
   * as a killed worker would (tests).
   */
  public Outcome train(TrainingData data, Checkpoints checkpoints, Path emaOut, Listener listener,
      long stopAtNimg) throws IOException {
    SongUNet net = new SongUNet(config);
    EdmPrecond precond = new EdmPrecond(net);
    double augmentP = NetworkConfig.augmentP(spec);
    AugmentPipe pipe = augmentP > 0 ? new AugmentPipe(augmentP) : null;
    int batch = Math.min(spec.batchSize(), data.count());
    if (batch < spec.batchSize()) {
      log.warn("batch_size {} is larger than the {} training images; training with batches of {}, as C-EDM does",
          spec.batchSize(), data.count(), batch);
    }
    long total = Math.round(spec.durationMimg() * 1e6);
    long checkpointEvery = Math.max(1, Math.round(spec.checkpointKimg() * 1000));
    long tickEvery = Math.max(1, Math.round(spec.tickKimg() * 1000));
    try (NDManager manager = NDManager.newBaseManager(device)) {
      Optional<Checkpoints.Checkpoint> latest = checkpoints.latest();
      State s = latest.isPresent() ? restore(manager, net, latest.get()) : fresh(manager, net);
      Checkpoints.Checkpoint lastCheckpoint = latest.orElse(null);
      listener.started(new Progress(s.nimg / 1000.0, total / 1000.0, Double.NaN, 0,
          TrainingSchedule.learningRate(spec.lr(), spec.lrRampupKimg(), s.nimg), lastCheckpoint));
      long resumedAt = s.nimg;
      if (resumedAt > 0) {
        log.info("resuming EDM training at {} kimg (step {})", resumedAt / 1000.0, s.step);
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
        double loss = step(manager, precond, pipe, data, rows, s);
        long before = s.nimg;
        s.nimg += batch;
        s.step++;
        listener.step(s.nimg);
        tickLoss += loss;
        tickSteps++;
        tickImages += batch;
        lastLoss = loss;
        boolean done = s.nimg >= total;
        if (before / checkpointEvery != s.nimg / checkpointEvery || done) {
          lastCheckpoint = save(checkpoints, s);
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
      s.ema.save(emaOut);
      return new Outcome(s.nimg, s.step, lastLoss, resumedAt, net.layout().count());
    }
  }

  private State fresh(NDManager manager, SongUNet net) {
    State s = new State();
    s.net = NetworkParameters.initialise(net.layout(), manager, Seeds.mix(seed, -1));
    s.ema = s.net.copy(manager);
    s.net.requireGradients();
    s.adam = new AdamW(0.9, 0.999, 1e-8);
    return s;
  }

  /** The epoch's image order, a pure function of (seed, epoch). */
  private int[] order(int epoch, int n) {
    return Shuffle.permutation(new SplittableRandom(Seeds.mix(seed, ORDER_STREAM + epoch)), n);
  }

  private double step(NDManager manager, EdmPrecond precond, AugmentPipe pipe, TrainingData data, int[] rows,
      State s) {
    try (NDScope scope = new NDScope()) {
      scope.suppressNotUsedWarning();
      int batch = rows.length;
      NDArray images = batchImages(manager, data, rows);
      NDArray labels = oneHot(manager, data, rows);
      NDArray perPixel;
      try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
        perPixel = TorchGenerator.seeded(Seeds.mix(seed, STEP_STREAM + s.step), () -> {
          NDArray rndNormal = manager.randomNormal(new Shape(batch));
          AugmentPipe.Result augmented = pipe == null ? null : pipe.apply(images, AugmentDraws.torch());
          NDArray y = augmented == null ? images : augmented.images();
          NDArray noise = manager.randomNormal(y.getShape());
          return EdmLoss.perPixel(precond, s.net, y, labels, augmented == null ? null : augmented.labels(), rndNormal,
              noise, true);
        });
        gc.backward(perPixel.sum().div(batch));
      }
      // The collector restores the thread's previous mode, which on a fresh activity thread is
      // torch's default (recording); the in-place updates below must not record.
      JniUtils.setGradMode(false);
      double lr = TrainingSchedule.learningRate(spec.lr(), spec.lrRampupKimg(), s.nimg);
      for (Map.Entry<String, NDArray> e : s.net.values().entrySet()) {
        NDArray p = e.getValue();
        NDArray grad = p.getGradient();
        s.adam.step(e.getKey(), p, nanToNum(grad), lr, 0, manager);
        grad.set(new NDIndex("..."), 0f);
      }
      double beta = TrainingSchedule.emaBeta(spec.emaHalflifeKimg(), spec.emaRampupRatio(), s.nimg, batch);
      for (Map.Entry<String, NDArray> e : s.ema.values().entrySet()) {
        NDArray p = s.net.apply(e.getKey());
        e.getValue().subi(p).muli(beta).addi(p);
      }
      return perPixel.mean().getFloat();
    }
  }

  /** uint8 NHWC rows -> float32 NCHW in [-1, 1], as EDM's images / 127.5 - 1. */
  private static NDArray batchImages(NDManager manager, TrainingData data, int[] rows) {
    int size = data.imageBytes();
    byte[] bytes = new byte[rows.length * size];
    for (int i = 0; i < rows.length; i++) {
      System.arraycopy(data.images(), rows[i] * size, bytes, i * size, size);
    }
    NDArray u8 = manager.create(java.nio.ByteBuffer.wrap(bytes),
        new Shape(rows.length, data.height(), data.width(), data.channels()), DataType.UINT8);
    return u8.toType(DataType.FLOAT32, false).transpose(0, 3, 1, 2).div(127.5).sub(1);
  }

  private static NDArray oneHot(NDManager manager, TrainingData data, int[] rows) {
    if (data.labels() == null) {
      return null;
    }
    float[] v = new float[rows.length * data.labelDim()];
    for (int i = 0; i < rows.length; i++) {
      v[i * data.labelDim() + data.labels()[rows[i]]] = 1;
    }
    return manager.create(v, new Shape(rows.length, data.labelDim()));
  }

  /** torch.nan_to_num(grad, nan=0, posinf=1e5, neginf=-1e5); a no-op when everything is finite. */
  static NDArray nanToNum(NDArray grad) {
    NDArray nan = grad.isNaN();
    NDArray inf = grad.isInfinite();
    if (!nan.logicalOr(inf).any().getBoolean()) {
      return grad;
    }
    NDArray cleaned = NDArrays.where(nan, grad.zerosLike(), grad);
    return NDArrays.where(inf, cleaned.sign().mul(1e5), cleaned);
  }

  private Checkpoints.Checkpoint save(Checkpoints checkpoints, State s) throws IOException {
    ObjectNode meta = JSON.createObjectNode();
    meta.put("nimg", s.nimg);
    meta.put("step", s.step);
    meta.put("epoch", s.epoch);
    meta.put("position", s.position);
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
    return s;
  }
}
