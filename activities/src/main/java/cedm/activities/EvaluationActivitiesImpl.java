package cedm.activities;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import cedm.data.DatasetImporter;
import cedm.edm.NetworkConfig;
import cedm.edm.SampleGenerator;
import cedm.eval.EvalNetwork;
import cedm.eval.FeatureStatistics;
import cedm.eval.Prdc;
import cedm.eval.ReferenceStatistics;
import cedm.eval.SampleShards;
import cedm.eval.SetScores;
import cedm.eval.SetScores.Reference;
import cedm.io.BadInputException;
import cedm.io.Npy;
import cedm.spec.EvaluationSpec;
import cedm.spec.EvaluationSpec.Encoder;
import cedm.spec.EvaluationSpec.Metric;
import cedm.stage.EvaluationActivities;
import cedm.stage.EvaluationArtifact;
import cedm.stage.EvaluationRequest;
import cedm.stage.RunLabels;
import cedm.stage.StageProgress;
import cedm.store.Artifact;
import cedm.store.ArtifactStore;
import cedm.store.StageKey;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Generates a trial's sample sets shard by shard and scores each set by the spec's metrics against
 * the training set's features (computed once per dataset and encoder, or FID's moments read from
 * the spec's EDM-format .npz). Each encoder embeds each sample once, whichever metrics read it.
 */
public final class EvaluationActivitiesImpl implements EvaluationActivities {
  private static final String STATISTICS = "statistics.npz";
  private static final String ROWS = "features.npy";
  private static final ObjectMapper JSON = new ObjectMapper();

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
    return StageRun.onDevices(Stage.EVALUATION.id(), request.labels(), slot, store.ledger()).run(() -> score(request));
  }

  private EvaluationArtifact score(EvaluationRequest request) throws Exception {
    Artifact model = request.snapshotId() == null
        ? Stage.TRAINING.require(store, request.trainingId())
        : Stage.SNAPSHOT.require(store, request.snapshotId());
    Artifact dataset = Stage.DATASET.require(store, request.datasetId());
    EvaluationSpec spec = request.evaluation();
    // A model retrained under the same id (after its artifact was lost or corrupt) is evaluated again.
    StageKey key = key(spec, modelDigests(spec), model.manifest().contentDigest(),
        request.snapshotId() == null ? request.trainingId() : request.snapshotId(), request.datasetId());
    ArtifactStore.Obtained obtained = store.obtain(key, dir -> produce(request, key, model, dataset, dir),
        StageRun::heartbeatWaiting);
    Meta m = obtained.artifact().meta(Meta.class);
    EvaluationArtifact scores = new EvaluationArtifact(key.id(), obtained.reused(),
        RunLabels.orNone(request.labels()).trial(), m.proxy(), spec.samplesPerSet(), m.scores());
    if (request.snapshotId() == null) {
      EvaluationGauges.report(request.labels(), scores);
    } else {
      // The trial's FID gauges hold its final model's scores; a snapshot's go to the curve, by Mimg.
      EvaluationGauges.reportSnapshot(request.labels(), model.meta(TrainingActivitiesImpl.Meta.class).kimg() / 1000,
          scores);
    }
    return scores;
  }

  /**
   * The evaluation's artifact key: the spec's settings that decide its samples and scores, the
   * encoders' files, the trained model's content (float bits: another CPU gives other ids) and its
   * inputs' ids.
   */
  static StageKey key(EvaluationSpec spec, String models, String trained, String modelId, String datasetId) {
    ObjectNode params = JSON.valueToTree(spec);
    // When snapshots are evaluated decides nothing about this evaluation's samples, nor a metric's settings without
    // it, nor the encoders' batch (float rounding only, like training.batch_gpu).
    params.remove("duringTraining");
    params.remove("encoderBatch");
    for (Metric metric : Metric.values()) {
      if (!spec.metrics().contains(metric)) {
        params.remove(metric.settings());
      }
    }
    ObjectNode section = JSON.createObjectNode();
    section.set("params", params);
    section.put("models", models);
    section.put("trained", trained);
    return Stage.EVALUATION.key(section, List.of(modelId, datasetId));
  }

  private static String modelDigests(EvaluationSpec spec) throws Exception {
    StringBuilder s = new StringBuilder();
    for (Encoder encoder : spec.encoders()) {
      s.append(encoder.id()).append('=').append(networkDigest(spec, encoder)).append(';');
    }
    if (spec.fidReference() != null) {
      s.append("reference=").append(digest("evaluation.fid_reference", spec.fidReference()));
    }
    return s.toString();
  }

  /** What identifies one encoder: "builtin", or the digest of its TorchScript file. */
  private static String networkDigest(EvaluationSpec spec, Encoder encoder) throws Exception {
    if (spec.featureNetwork() == EvaluationSpec.FeatureNetwork.BUILTIN) {
      return "builtin";
    }
    return digest(encoder.modelField(), spec.modelFile(encoder));
  }

  private static String digest(String field, String file) throws Exception {
    return UserFiles.digest(field, file,
        "feature_network: pretrained needs it; feature_network: builtin computes proxy figures without it");
  }

  private JsonNode produce(EvaluationRequest request, StageKey key, Artifact model, Artifact dataset, Path dir)
      throws Exception {
    EvaluationSpec spec = request.evaluation();
    TrainedModel trained = TrainedModel.of(model);
    NetworkConfig config = trained.config();
    Map<Encoder, EvalNetwork> networks = new LinkedHashMap<>();
    try (NDManager manager = NDManager.newBaseManager(device)) {
      for (Encoder encoder : spec.encoders()) {
        networks.put(encoder, EvalNetwork.forSpec(spec, encoder, device));
      }
      List<EvalNetwork> all = List.copyOf(networks.values());
      SampleGenerator generator = trained.generator(manager, spec);
      SampleShards shards = new SampleShards(store.workDir(key).resolve("shards"), spec.sets(), spec.samplesPerSet(),
          spec.shardSize());
      int total = spec.sets() * shards.shardsPerSet();
      RunLabels run = RunLabels.orNone(request.labels());
      StageRun.heartbeat(StageProgress.of(Stage.EVALUATION.id(), run, 0, total, "shards"));
      shards.generate(manager, generator, all, config.resolution(), spec.saveImages(),
          done -> StageRun.heartbeat(StageProgress.of(Stage.EVALUATION.id(), run, done, total, "shards")));
      Map<String, List<Double>> scores = new LinkedHashMap<>();
      spec.metrics().forEach(metric -> metric.results().forEach(r -> scores.put(r.id(), new ArrayList<>())));
      for (Map.Entry<Encoder, EvalNetwork> e : networks.entrySet()) {
        EvalNetwork network = e.getValue();
        List<Metric> metrics = spec.metrics().stream().filter(m -> m.encoder() == e.getKey()).toList();
        Reference reference = reference(spec, e.getKey(), network, dataset,
            metrics.stream().anyMatch(Metric::needsRows));
        for (int s = 0; s < spec.sets(); s++) {
          FeatureStatistics.Moments set = shards.statistics(s, network).moments();
          if (set.dim() != reference.moments().dim()) {
            throw new BadInputException("reference statistics have dimension " + reference.moments().dim() + " but "
                + network.describe() + " gives " + set.dim() + " features");
          }
          set.write(dir.resolve(String.format("set%d.%s.npz", s, network.id())));
          for (Metric metric : metrics) {
            int setIndex = s;
            int points = SetScores.prdcPoints(spec, reference.count());
            int tiles = Prdc.tiles(points, points);
            SetScores.score(metric, spec, s, shards, network, set, reference,
                t -> StageRun.heartbeat(StageProgress.of(Stage.EVALUATION.id(), run, t, tiles, "tiles")
                    .withPart("prdc set " + setIndex))).forEach((r, v) -> scores.get(r).add(v));
          }
        }
      }
      if (spec.saveImages()) {
        Files.move(shards.images(), dir.resolve("images"));
      }
      return JSON.valueToTree(new Meta(all.stream().anyMatch(EvalNetwork::proxy),
          all.stream().map(EvalNetwork::describe).toList(), scores));
    } finally {
      networks.values().forEach(EvalNetwork::close);
    }
  }

  /** What an evaluation's manifest records, beside each set's statistics. */
  record Meta(boolean proxy, List<String> networks, Map<String, List<Double>> scores) {}

  /** What a reference-statistics manifest records. */
  record ReferenceMeta(int images, String network) {}

  /**
   * The training set's statistics for an encoder, computed once and stored (the rows too when
   * {@code keepRows}); FID's moments are the spec's .npz when it names one.
   */
  private Reference reference(EvaluationSpec spec, Encoder encoder, EvalNetwork network,
      Artifact dataset, boolean keepRows) throws Exception {
    boolean givenMoments = encoder == Metric.FID.encoder() && spec.fidReference() != null;
    FeatureStatistics.Moments given = givenMoments
        ? FeatureStatistics.Moments.read(Path.of(spec.fidReference())) : null;
    if (givenMoments && !keepRows) {
      return new Reference(given, null, 0);
    }
    ObjectNode section = JSON.createObjectNode();
    section.put("network", network.id());
    section.put("digest", networkDigest(spec, encoder));
    if (keepRows) {
      section.put("rows", true);
    }
    StageKey key = Stage.REFERENCE_STATISTICS.key(section, List.of(dataset.key().id()));
    ArtifactStore.Obtained obtained = store.obtain(key,
        dir -> referenceStatistics(network, dataset.file(DatasetImporter.IMAGES), dir, keepRows),
        StageRun::heartbeatWaiting);
    Artifact stored = obtained.artifact();
    FeatureStatistics.Moments moments = given != null ? given : FeatureStatistics.Moments.read(stored.file(STATISTICS));
    if (!keepRows) {
      return new Reference(moments, null, 0);
    }
    return new Reference(moments, stored.file(ROWS), (int) Npy.readHeader(stored.file(ROWS)).shape()[0]);
  }

  private JsonNode referenceStatistics(EvalNetwork network, Path images, Path dir, boolean keepRows) throws Exception {
    int n = (int) Npy.readHeader(images).shape()[0];
    ReferenceStatistics.compute(network, images, keepRows ? dir.resolve(ROWS) : null,
        done -> StageRun.heartbeat(new StageProgress(Stage.REFERENCE_STATISTICS.id(), done, n, "images")
            .withPart(network.id()))).write(dir.resolve(STATISTICS));
    return JSON.valueToTree(new ReferenceMeta(n, network.describe()));
  }
}
