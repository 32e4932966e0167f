package cedm.rehearsal;

import cedm.bench.TrainingProbe;
import cedm.io.ChildJvm;
import cedm.memory.NetworkProbe;
import cedm.memory.StageFootprint;
import cedm.memory.StageFootprint.Prediction;
import cedm.spec.ExperimentSpec;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The paper's run in shape on the CPU: each stage at the spec's sizes wherever memory scales with
 * them and with small compute wherever only time does, in a fresh JVM each, its peak memory and
 * time beside what {@link StageFootprint} predicts for it.
 *
 * <p>Where compute is cut, and why memory does not change: TEMI runs one epoch (every epoch repeats
 * the same steps); training one step of batch_gpu images (every step holds the same); the sampler
 * two Heun steps (each step frees the last). The paper's network samples one micro-batch; the two
 * evaluations at shard 500 and 5,000 sample with the tiny network, since a shard of 5,000 through
 * the 56M-parameter network takes hours on a CPU, and score two whole shards of samples.
 */
public final class Rehearsal {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration STAGE_TIME = Duration.ofHours(2);
  /** Heun steps of the rehearsed sampler: one full step with its correction, then the last. */
  private static final int STEPS = 2;
  /** The smaller shard, whose peak the paper's shard must stay within 20% of. */
  public static final int SMALL_SHARD = 500;
  private static final int TRAINING_SMALL = 2;
  private static final int TRAINING_LARGE = 4;
  private static final int TRAINING_STEPS = 3;

  /** One stage: its sizes, the predicted peak, what it measured. */
  public record Row(String stage, String size, Prediction predicted, RehearsalChild.Measured measured) {}

  private final ExperimentSpec spec;
  private final Path dir;
  private final Set<RehearsedStage> stages;
  private final Consumer<String> log;

  /** Rehearses {@code stages} (each reads what the stages before it wrote in {@code dir}). */
  public Rehearsal(ExperimentSpec spec, Path dir, Set<RehearsedStage> stages, Consumer<String> log) {
    this.spec = spec;
    this.dir = dir;
    this.stages = stages;
    this.log = log;
  }

  /** Runs every stage in the chain's order; {@code done} hears each row as its stage ends. */
  public List<Row> run(Consumer<Row> done) throws Exception {
    int images = spec.dataset().count();
    log.accept("probing the networks' memory (" + spec.training().preset().id() + " sampler, encoders, extractor)");
    NetworkProbe.Result paper = NetworkProbe.measure(spec, "cpu");
    ExperimentSpec tiny = evaluation(spec, "tiny", spec.evaluation().shardSize(), 2 * spec.evaluation().shardSize());
    NetworkProbe.Result tinyNetworks = NetworkProbe.measure(tiny, "cpu");
    int batchGpu = RehearsedStage.batchGpu(spec);
    log.accept("probing training at " + TRAINING_SMALL + " and " + TRAINING_LARGE + " images");
    TrainingProbe.Result small = TrainingProbe.measure(spec.training(), spec.imageResolution(), RehearsedStage.LABELS,
        TRAINING_SMALL, "cpu", TRAINING_STEPS);
    TrainingProbe.Result large = TrainingProbe.measure(spec.training(), spec.imageResolution(), RehearsedStage.LABELS,
        TRAINING_LARGE, "cpu", TRAINING_STEPS);

    ExperimentSpec oneBatch = evaluation(spec, null, spec.evaluation().batchSize(), spec.evaluation().batchSize());
    ExperimentSpec smallShards = evaluation(spec, "tiny", SMALL_SHARD, 2 * spec.evaluation().shardSize());
    List<Row> rows = new ArrayList<>();
    rows.add(stage(RehearsedStage.DATASET, spec, images + " images of " + spec.imageResolution() + " px", null, done));
    rows.add(stage(RehearsedStage.FEATURES, spec, "batch " + spec.features().batchSize(),
        StageFootprint.features(spec, images, paper), done));
    rows.add(stage(RehearsedStage.KNN, spec, "m = " + spec.features().knn(), StageFootprint.knn(spec, images, paper),
        done));
    rows.add(stage(RehearsedStage.TEMI, spec, "C = " + StageFootprint.temiClusters(spec) + ", 1 epoch",
        StageFootprint.temi(spec, images, StageFootprint.temiClusters(spec), paper), done));
    rows.add(stage(RehearsedStage.TRAINING, spec, "batch_gpu " + batchGpu + ", 1 step", StageFootprint.training(
        TRAINING_SMALL, small.peakBytes(), TRAINING_LARGE, large.peakBytes(), batchGpu), done));
    rows.add(stage(RehearsedStage.REFERENCE, spec, images + " images, batch " + spec.evaluation().encoderBatch(),
        spec.evaluation().encoders().stream().map(e -> StageFootprint.reference(spec, e, paper))
            .max(Comparator.comparingLong(Prediction::bytes)).orElseThrow(), done));
    rows.add(stage(RehearsedStage.EVALUATION, oneBatch, "sampler " + spec.training().preset().id() + ", one micro-batch of "
        + spec.evaluation().batchSize(), StageFootprint.evaluation(oneBatch, images, paper), done));
    rows.add(stage(RehearsedStage.EVALUATION, smallShards, shards(smallShards),
        StageFootprint.evaluation(smallShards, images, tinyNetworks), done));
    rows.add(stage(RehearsedStage.EVALUATION, tiny, shards(tiny), StageFootprint.evaluation(tiny, images, tinyNetworks),
        done));
    rows.removeIf(Objects::isNull);
    return rows;
  }

  private static String shards(ExperimentSpec s) {
    return "tiny sampler, " + s.evaluation().samplesPerSet() / s.evaluation().shardSize() + " shards of "
        + s.evaluation().shardSize() + ", micro-batch " + s.evaluation().batchSize();
  }

  /**
   * The spec's evaluation at one set of {@code samples} in shards of {@code shard}, sampled in
   * STEPS steps, by the preset named (null: the spec's own network).
   */
  static ExperimentSpec evaluation(ExperimentSpec spec, String preset, int shard, int samples) throws IOException {
    ObjectNode tree = JSON.valueToTree(spec);
    ObjectNode e = (ObjectNode) tree.get("evaluation");
    e.put("sets", 1);
    e.put("samplesPerSet", samples);
    e.put("shardSize", shard);
    e.put("steps", STEPS);
    if (preset != null) {
      ((ObjectNode) tree.get("training")).put("preset", preset);
    }
    return JSON.treeToValue(tree, ExperimentSpec.class);
  }

  private Row stage(RehearsedStage stage, ExperimentSpec s, String size, Prediction predicted, Consumer<Row> done)
      throws IOException, InterruptedException {
    if (!stages.contains(stage)) {
      return null;
    }
    log.accept(stage.id() + ": " + size);
    ChildJvm.Ended ended = ChildJvm.run(ChildJvm.of(RehearsalChild.class, stage.name(), JSON.writeValueAsString(s),
        dir.toString()), STAGE_TIME);
    String last = ended.lastLine();
    if (ended.exitCode() != 0 || !last.startsWith("{")) {
      throw new IOException("rehearsal of " + stage.id() + " failed: " + ended.output().strip());
    }
    Row row = new Row(stage.id(), size, predicted, JSON.readValue(last, RehearsalChild.Measured.class));
    done.accept(row);
    return row;
  }
}
