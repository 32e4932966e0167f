package cedm.temi;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import cedm.io.BadInputException;
import cedm.io.NonFiniteException;
import cedm.io.Safetensors;
import cedm.optim.AdamW;
import cedm.optim.Autograd;
import cedm.random.Seeds;
import cedm.random.Shuffle;
import cedm.spec.TemiSpec;
import cedm.store.Checkpoints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Trains TEMI heads on precomputed features and their mined neighbours, as TEMI's
 * {@code train_main.py} does for precomputed embeddings: every step pairs each image with a
 * neighbour drawn uniformly from its first m, updates the student with AdamW, the teacher by EMA.
 * Randomness comes only from (seed, epoch), so an epoch is a pure function of the state at its
 * start; a checkpoint after every epoch makes a restarted run bit-identical to an uninterrupted one.
 */
public final class TemiTrainer {
  private static final Logger log = LoggerFactory.getLogger(TemiTrainer.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int ASSIGN_ROWS = 4096;
  private static final String STATE = "temi.safetensors";

  private final TemiSpec spec;
  private final int clusters;
  private final long seed;
  private final Device device;

  /** Where training is, for heartbeats. */
  public record Progress(int epoch, int epochs, long step, double loss) {}

  /**
   * @param headLosses each head's mean loss over the last epoch
   * @param bestHead the head with the lowest of them, whose teacher assigns the clusters
   * @param resumedAtEpoch the epoch a checkpoint let training continue from (0 = from scratch)
   */
  public record Outcome(long[] assignments, double[] headLosses, int bestHead, int resumedAtEpoch) {}

  public TemiTrainer(TemiSpec spec, int clusters, long seed, Device device) {
    this.spec = spec;
    this.clusters = clusters;
    this.seed = seed;
    this.device = device;
  }

  /**
   * @param features row-major [n, d]
   * @param knn row-major [n, knnWidth], most similar first
   */
  public Outcome train(float[] features, int n, int d, long[] knn, int knnWidth, Checkpoints checkpoints,
      Consumer<Progress> progress) throws IOException {
    int batch = spec.batchSize();
    long iters = n / batch;
    if (iters == 0) {
      throw new BadInputException("clustering.temi.batch_size " + batch + " is larger than the dataset (" + n
          + " images); TEMI drops incomplete batches (allowed: batch_size <= N)");
    }
    if (spec.neighbours() > knnWidth) {
      throw new BadInputException("clustering.temi.neighbours " + spec.neighbours() + " exceeds the "
          + knnWidth + " mined neighbours (allowed: <= features.knn)");
    }
    double scale = batch / 256.0;
    CosineSchedule lr = new CosineSchedule(spec.lr() * scale, spec.minLr() * scale, spec.epochs(), iters, spec.warmupEpochs());
    CosineSchedule momentum = new CosineSchedule(spec.momentumTeacher(), spec.momentumTeacherEnd(), spec.epochs(), iters, 0);
    TemiLoss loss = new TemiLoss(spec.beta(), spec.studentTemp(), spec.teacherTemp(), spec.priorMomentum());

    try (NDManager manager = NDManager.newBaseManager(device)) {
      NDArray x = manager.create(features, new Shape(n, d));
      State state = checkpoints.restore(c -> restore(manager, c)).orElseGet(() -> fresh(manager, d));
      int resumedAt = state.epoch;
      if (resumedAt > 0) {
        log.info("temi C={}: resuming after epoch {} of {} from its checkpoint", clusters, resumedAt, spec.epochs());
      }
      for (int epoch = state.epoch; epoch < spec.epochs(); epoch++) {
        int[][] pairs = epochPairs(epoch, n, knn, knnWidth);
        double[] sums = new double[state.student.heads()];
        for (long it = 0; it < iters; it++) {
          long step = epoch * iters + it;
          double[] headLosses = step(manager, x, pairs, (int) it * batch, batch, state, loss, lr.at(step),
              momentum.at(step), epoch < spec.freezeLastLayerEpochs());
          double mean = 0;
          for (int h = 0; h < sums.length; h++) {
            sums[h] += headLosses[h];
            mean += headLosses[h] / sums.length;
          }
          if (!Double.isFinite(mean)) {
            throw new NonFiniteException("clustering: TEMI loss of C=" + clusters + " is " + mean + " at epoch " + epoch
                + ", step " + it + "; training from the same inputs diverges again (check clustering.temi)");
          }
          progress.accept(new Progress(epoch, spec.epochs(), step, mean));
        }
        for (int h = 0; h < sums.length; h++) {
          sums[h] /= iters;
        }
        state.lastEpochLosses = sums;
        state.epoch = epoch + 1;
        if (state.epoch % spec.checkpointEpochs() == 0 || state.epoch == spec.epochs()) {
          save(checkpoints, state);
        }
      }
      int best = argmin(state.lastEpochLosses);
      return new Outcome(assign(manager, x, n, state.teacher, best), state.lastEpochLosses, best, resumedAt);
    }
  }

  /** Everything that carries over from one epoch to the next. */
  private static final class State {
    TemiHeads student;
    TemiHeads teacher;
    NDArray priors;
    AdamW optimiser;
    int epoch;
    double[] lastEpochLosses;
  }

  private State fresh(NDManager manager, int d) {
    State s = new State();
    s.student = TemiHeads.initialise(manager, spec.heads(), d, spec.hiddenDim(), spec.bottleneckDim(), clusters,
        Seeds.mix(seed, -1));
    s.teacher = s.student.copy(manager);
    s.student.requireGradients();
    s.priors = manager.full(new Shape(spec.heads(), clusters), 1f / clusters);
    s.optimiser = new AdamW(0.9, 0.999, 1e-8);
    s.lastEpochLosses = new double[spec.heads()];
    return s;
  }

  /** The epoch's data order and each image's neighbour: a pure function of (seed, epoch). */
  private int[][] epochPairs(int epoch, int n, long[] knn, int knnWidth) {
    SplittableRandom random = new SplittableRandom(Seeds.mix(seed, epoch));
    int[] order = Shuffle.permutation(random, n);
    int[] partner = new int[n];
    for (int i = 0; i < n; i++) {
      partner[i] = (int) knn[order[i] * knnWidth + random.nextInt(spec.neighbours())];
    }
    return new int[][] {order, partner};
  }

  private double[] step(NDManager manager, NDArray x, int[][] pairs, int from, int batch, State s, TemiLoss loss,
      double lr, double momentum, boolean lastLayerFrozen) {
    try (NDScope scope = new NDScope()) {
      scope.suppressNotUsedWarning();
      long[] rows = new long[2 * batch];
      for (int i = 0; i < batch; i++) {
        rows[i] = pairs[0][from + i];
        rows[batch + i] = pairs[1][from + i];
      }
      NDArray views = x.get(manager.create(rows));
      NDArray teacherLogits = s.teacher.logits(views);
      TemiLoss.Result[] recorded = new TemiLoss.Result[1];
      Autograd.backward(() -> {
        recorded[0] = loss.apply(s.student.logits(views), teacherLogits, s.priors);
        return recorded[0].headLosses().mean();
      });
      TemiLoss.Result result = recorded[0];
      for (String name : TemiHeads.NAMES) {
        if (lastLayerFrozen && TemiHeads.LAST_LAYER.contains(name)) {
          continue;
        }
        double wd = TemiHeads.NOT_DECAYED.contains(name) ? 0 : spec.weightDecay();
        s.optimiser.step(name, s.student.get(name), s.student.get(name).getGradient(), lr, wd, manager);
      }
      // Autograd left gradient recording off on this thread: in-place updates are allowed.
      s.student.zeroGradients();
      s.teacher.emaFrom(s.student, momentum);
      NDArray priors = result.priors().stopGradient().duplicate();
      NDScope.unregister(priors);
      priors.attach(manager);
      s.priors.close();
      s.priors = priors;
      float[] losses = result.headLosses().toFloatArray();
      double[] out = new double[losses.length];
      for (int i = 0; i < losses.length; i++) {
        out[i] = losses[i];
      }
      return out;
    }
  }

  /** Cluster of every image: argmax of the best head's teacher logits. */
  private static long[] assign(NDManager manager, NDArray x, int n, TemiHeads teacher, int head) {
    long[] out = new long[n];
    for (int start = 0; start < n; start += ASSIGN_ROWS) {
      try (NDScope scope = new NDScope()) {
        scope.suppressNotUsedWarning();
        NDArray rows = x.get(new NDIndex("{}:{}", start, Math.min(n, start + ASSIGN_ROWS)));
        NDArray best = teacher.logits(rows).get(head).argMax(1).toType(DataType.INT64, false);
        System.arraycopy(best.toLongArray(), 0, out, start, (int) best.size());
      }
    }
    return out;
  }

  private static int argmin(double[] values) {
    int best = 0;
    for (int i = 1; i < values.length; i++) {
      if (values[i] < values[best]) {
        best = i;
      }
    }
    return best;
  }

  private void save(Checkpoints checkpoints, State s) throws IOException {
    ObjectNode meta = JSON.createObjectNode();
    meta.put("epoch", s.epoch);
    ArrayNode losses = meta.putArray("last_epoch_losses");
    for (double l : s.lastEpochLosses) {
      losses.add(l);
    }
    ObjectNode steps = meta.putObject("adam_steps");
    s.optimiser.steps().forEach(steps::put);
    Map<String, NDArray> tensors = new LinkedHashMap<>();
    for (String name : TemiHeads.NAMES) {
      tensors.put("student." + name, s.student.get(name));
      tensors.put("teacher." + name, s.teacher.get(name));
    }
    tensors.put("priors", s.priors);
    // Sorted, so that equal states give byte-identical files.
    new TreeMap<>(s.optimiser.moments()).forEach((name, moment) -> tensors.put("adam." + name, moment));
    checkpoints.save(s.epoch, meta, dir -> Safetensors.write(dir.resolve(STATE), tensors));
  }

  /** The state a checkpoint holds; one of an older layout (an .npy per tensor) is not readable. */
  private State restore(NDManager manager, Checkpoints.Checkpoint checkpoint) throws IOException {
    Path file = checkpoint.dir().resolve(STATE);
    JsonNode meta = checkpoint.meta();
    Map<String, NDArray> tensors = Safetensors.read(manager, file);
    State s = new State();
    Map<String, NDArray> student = new HashMap<>();
    Map<String, NDArray> teacher = new HashMap<>();
    for (String name : TemiHeads.NAMES) {
      student.put(name, take(tensors, file, "student." + name));
      teacher.put(name, take(tensors, file, "teacher." + name));
    }
    s.student = TemiHeads.of(student);
    s.student.requireGradients();
    s.teacher = TemiHeads.of(teacher);
    s.priors = take(tensors, file, "priors");
    s.optimiser = new AdamW(0.9, 0.999, 1e-8);
    Map<String, NDArray> moments = new HashMap<>();
    Map<String, Long> steps = new HashMap<>();
    meta.get("adam_steps").fields().forEachRemaining(e -> steps.put(e.getKey(), e.getValue().asLong()));
    for (String name : steps.keySet()) {
      moments.put("m." + name, take(tensors, file, "adam.m." + name));
      moments.put("v." + name, take(tensors, file, "adam.v." + name));
    }
    s.optimiser.restore(moments, steps);
    s.epoch = meta.get("epoch").asInt();
    s.lastEpochLosses = new double[spec.heads()];
    for (int h = 0; h < s.lastEpochLosses.length; h++) {
      s.lastEpochLosses[h] = meta.get("last_epoch_losses").get(h).asDouble();
    }
    return s;
  }

  private static NDArray take(Map<String, NDArray> tensors, Path file, String name) throws BadInputException {
    NDArray tensor = tensors.get(name);
    if (tensor == null) {
      throw new BadInputException(file + ": no tensor " + name);
    }
    return tensor;
  }
}
