package cedm.activities;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import cedm.activity.EvaluationActivities;
import cedm.activity.EvaluationArtifact;
import cedm.activity.EvaluationRequest;
import cedm.activity.RunLabels;
import cedm.activity.StageProgress;
import cedm.data.DatasetImporter;
import cedm.edm.NetworkConfig;
import cedm.edm.SampleGenerator;
import cedm.eval.EvalNetwork;
import cedm.eval.FeatureStatistics;
import cedm.eval.FrechetDistance;
import cedm.eval.SampleShards;
import cedm.io.BadInputException;
import cedm.io.Npy;
import cedm.spec.EvaluationSpec;
import cedm.spec.EvaluationSpec.Metric;
import cedm.store.Artifact;
import cedm.store.ArtifactStore;
import cedm.store.StageKey;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Generates a trial's sample sets shard by shard and scores each set by FID (and FDD) against
 * the training set's statistics (computed once per dataset and network, or read from the spec's
 * EDM-format .npz).
 */
public final class EvaluationActivitiesImpl implements EvaluationActivities {
  static final String STAGE = "evaluation";
  static final String REFERENCE_STAGE = "reference-statistics";
  static final int VERSION = 1;
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int REFERENCE_BATCH = 500;

  private final ArtifactStore store;
  private final DevicePool.Claim slot;
  private final Device device;

  /** Runs its stages on {@code slot}'s device, one at a time. */
  public EvaluationActivitiesImpl(ArtifactStore store, DevicePool.Claim slot) {
    this.store = store;
    this.slot = slot;
    this.device = slot.device();
  }

  @Override
  public EvaluationArtifact evaluate(EvaluationRequest request) {
    return StageRun.onDevices(STAGE, request.labels(), slot, store.ledger()).run(() -> evaluate(request, 0));
  }

  /** {@code maxShards} > 0 stops after that many new shards and returns null (tests simulate a kill with it). */
  EvaluationArtifact evaluate(EvaluationRequest request, int maxShards) throws Exception {
    Artifact model = request.snapshotId() == null
        ? Inputs.require(store, TrainingActivitiesImpl.STAGE, TrainingActivitiesImpl.VERSION, request.trainingId())
        : Inputs.require(store, TrainingActivitiesImpl.SNAPSHOT_STAGE, TrainingActivitiesImpl.VERSION,
            request.snapshotId());
    Artifact dataset = Inputs.require(store, DatasetActivitiesImpl.STAGE, DatasetActivitiesImpl.VERSION,
        request.datasetId());
    EvaluationSpec spec = request.evaluation();
    ObjectNode section = JSON.createObjectNode();
    ObjectNode params = JSON.valueToTree(spec);
    // When snapshots are evaluated decides nothing about this evaluation's samples.
    params.remove("duringTraining");
    section.set("params", params);
    section.put("models", modelDigests(spec));
    // A model retrained under the same id (after its artifact was lost or corrupt) is evaluated again.
    section.put("trained", model.manifest().contentDigest());
    StageKey key = StageKey.of(STAGE, VERSION, section, List.of(
        request.snapshotId() == null ? request.trainingId() : request.snapshotId(), request.datasetId()));
    ArtifactStore.Obtained obtained = store.obtain(key, dir -> {
      JsonNode meta = produce(request, key, model, dataset, dir, maxShards);
      if (meta == null) {
        throw new Interrupted();
      }
      return meta;
    }, StageRun::heartbeatWaiting);
    JsonNode m = obtained.artifact().manifest().meta();
    EvaluationArtifact scores = new EvaluationArtifact(key.id(), obtained.reused(),
        RunLabels.orNone(request.labels()).trial(), m.get("proxy").asBoolean(), spec.samplesPerSet(),
        doubles(m.get("fid")), doubles(m.get("fdd")));
    if (request.snapshotId() == null) {
      EvaluationMetrics.report(request.labels(), scores);
    } else {
      // The trial's FID gauges hold its final model's scores; a snapshot's go to the curve, by Mimg.
      EvaluationMetrics.reportSnapshot(request.labels(), model.manifest().meta().get("kimg").asDouble() / 1000, scores);
    }
    return scores;
  }

  /** Ends a test's simulated kill without producing the artifact. */
  static final class Interrupted extends RuntimeException {
    Interrupted() {
      super("stopped after the requested shards", null, false, false);
    }
  }

  private static String modelDigests(EvaluationSpec spec) throws Exception {
    StringBuilder s = new StringBuilder();
    for (Metric metric : spec.metrics()) {
      s.append(metric).append('=').append(networkDigest(spec, metric)).append(';');
    }
    if (spec.fidReference() != null) {
      s.append("reference=").append(digest("evaluation.fid_reference", spec.fidReference()));
    }
    return s.toString();
  }

  /** What identifies one metric's network: "builtin", or the digest of its TorchScript file. */
  private static String networkDigest(EvaluationSpec spec, Metric metric) throws Exception {
    if (spec.featureNetwork() == EvaluationSpec.FeatureNetwork.BUILTIN) {
      return "builtin";
    }
    return metric == Metric.FID ? digest("evaluation.inception_model", spec.inceptionModel())
        : digest("evaluation.dinov2_model", spec.dinov2Model());
  }

  private static String digest(String field, String file) throws Exception {
    return Inputs.userFileDigest(field, file,
        "feature_network: pretrained needs it; feature_network: builtin computes proxy figures without it");
  }

  private EvalNetwork network(EvaluationSpec spec, Metric metric) throws Exception {
    if (spec.featureNetwork() == EvaluationSpec.FeatureNetwork.BUILTIN) {
      return EvalNetwork.builtin(metric.name().toLowerCase(Locale.ROOT), device);
    }
    return metric == Metric.FID ? EvalNetwork.inception(Path.of(spec.inceptionModel()), device)
        : EvalNetwork.dinov2(Path.of(spec.dinov2Model()), device);
  }

  private JsonNode produce(EvaluationRequest request, StageKey key, Artifact model, Artifact dataset, Path dir,
      int maxShards) throws Exception {
    EvaluationSpec spec = request.evaluation();
    TrainedModel trained = TrainedModel.of(model);
    NetworkConfig config = trained.config();
    List<EvalNetwork> networks = new ArrayList<>();
    try (NDManager manager = NDManager.newBaseManager(device)) {
      for (Metric metric : spec.metrics()) {
        networks.add(network(spec, metric));
      }
      SampleGenerator generator = trained.generator(manager, spec);
      SampleShards shards = new SampleShards(store.workDir(key).resolve("shards"), spec.sets(), spec.samplesPerSet(),
          spec.shardSize());
      int total = spec.sets() * shards.shardsPerSet();
      String label = "evaluation " + RunLabels.orNone(request.labels()).trial();
      StageRun.heartbeat(new StageProgress(label, 0, total, "shards"));
      shards.generate(manager, generator, networks, config.resolution(), spec.saveImages(),
          done -> StageRun.heartbeat(new StageProgress(label, done, total, "shards")), maxShards);
      if (maxShards > 0 && !shards.complete(networks)) {
        return null;
      }
      ObjectNode meta = JSON.createObjectNode();
      meta.put("proxy", networks.stream().anyMatch(EvalNetwork::proxy));
      ArrayNode described = meta.putArray("networks");
      for (int i = 0; i < networks.size(); i++) {
        EvalNetwork network = networks.get(i);
        described.add(network.describe());
        FeatureStatistics.Moments reference = reference(manager, spec, spec.metrics().get(i), network, dataset);
        ArrayNode values = meta.putArray(spec.metrics().get(i) == Metric.FID ? "fid" : "fdd");
        for (int s = 0; s < spec.sets(); s++) {
          FeatureStatistics.Moments set = shards.statistics(manager, s, network).moments();
          if (set.dim() != reference.dim()) {
            throw new BadInputException("reference statistics have dimension " + reference.dim() + " but "
                + network.describe() + " gives " + set.dim() + " features");
          }
          set.write(dir.resolve(String.format("set%d.%s.npz", s, network.id())));
          values.add(FrechetDistance.of(set.mu(), set.sigma(), reference.mu(), reference.sigma()));
        }
      }
      if (!meta.has("fdd")) {
        meta.putArray("fdd");
      }
      if (spec.saveImages()) {
        Files.move(shards.images(), dir.resolve("images"));
      }
      return meta;
    } finally {
      networks.forEach(EvalNetwork::close);
    }
  }

  /** The training set's statistics for a network: the spec's .npz for FID, else computed once and stored. */
  private FeatureStatistics.Moments reference(NDManager manager, EvaluationSpec spec, Metric metric,
      EvalNetwork network, Artifact dataset) throws Exception {
    if (metric == Metric.FID && spec.fidReference() != null) {
      return FeatureStatistics.Moments.read(manager, Path.of(spec.fidReference()));
    }
    ObjectNode section = JSON.createObjectNode();
    section.put("network", network.id());
    section.put("digest", networkDigest(spec, metric));
    StageKey key = StageKey.of(REFERENCE_STAGE, VERSION, section, List.of(dataset.key().id()));
    ArtifactStore.Obtained obtained = store.obtain(key, dir -> {
      Path imagesFile = dataset.file(DatasetImporter.IMAGES);
      long[] shape = Npy.readHeader(imagesFile).shape();
      int n = (int) shape[0];
      int h = (int) shape[1];
      int w = (int) shape[2];
      int size = h * w * (int) shape[3];
      byte[] all = Npy.readBytes(imagesFile);
      FeatureStatistics stats = null;
      for (int from = 0; from < n; from += REFERENCE_BATCH) {
        int count = Math.min(REFERENCE_BATCH, n - from);
        byte[] batch = Arrays.copyOfRange(all, from * size, (from + count) * size);
        float[] f = network.features(batch, count, h, w);
        if (stats == null) {
          stats = new FeatureStatistics(f.length / count);
        }
        stats.add(manager, f, count);
        StageRun.heartbeat(new StageProgress("reference statistics " + network.id(), from + count, n, "images"));
      }
      stats.moments().write(dir.resolve("statistics.npz"));
      ObjectNode meta = JSON.createObjectNode();
      meta.put("images", n);
      meta.put("network", network.describe());
      return meta;
    }, StageRun::heartbeatWaiting);
    return FeatureStatistics.Moments.read(manager, obtained.artifact().file("statistics.npz"));
  }

  private static List<Double> doubles(JsonNode array) {
    List<Double> out = new ArrayList<>();
    array.forEach(v -> out.add(v.asDouble()));
    return out;
  }
}
