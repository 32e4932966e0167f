package cedm.activities;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import cedm.activity.ClusterScores;
import cedm.activity.ClusteringActivities;
import cedm.activity.ClusteringArtifact;
import cedm.activity.ClusteringRequest;
import cedm.activity.StageProgress;
import cedm.cluster.ClusterMetrics;
import cedm.cluster.ClusterStats;
import cedm.cluster.KMeans;
import cedm.data.DatasetImporter;
import cedm.features.FeatureExtraction;
import cedm.io.BadInputException;
import cedm.io.NonFiniteException;
import cedm.io.Npy;
import cedm.spec.ClusteringMethod;
import cedm.store.Artifact;
import cedm.store.ArtifactStore;
import cedm.store.Checkpoints;
import cedm.store.StageKey;
import cedm.temi.TemiTrainer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** TEMI or k-means clustering of the features on this worker's device. */
public final class ClusteringActivitiesImpl implements ClusteringActivities {
  static final String STAGE = "clustering";
  static final int VERSION = 1;
  public static final String ASSIGNMENTS = "assignments.npy";
  public static final String COUNTS = "counts.npy";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final ArtifactStore store;
  private final DevicePool.Claim slot;
  private final Device device;

  /** Runs its stages on {@code slot}'s device, one at a time. */
  public ClusteringActivitiesImpl(ArtifactStore store, DevicePool.Claim slot) {
    this.store = store;
    this.slot = slot;
    this.device = slot.device();
  }

  @Override
  public ClusteringArtifact cluster(ClusteringRequest request) {
    return StageRun.onDevices(STAGE, request.labels(), slot, store.ledger()).run(() -> {
      Artifact features = Inputs.require(store, FeatureActivitiesImpl.STAGE, FeatureActivitiesImpl.VERSION, request.featuresId());
      boolean temi = request.method() == ClusteringMethod.TEMI;
      Artifact knn = temi ? Inputs.require(store, KnnActivitiesImpl.STAGE, KnnActivitiesImpl.VERSION, request.knnId()) : null;
      StageKey key = StageKey.of(STAGE, VERSION, section(request),
          temi ? List.of(request.featuresId(), request.knnId()) : List.of(request.featuresId()));
      ClusteringMetrics metrics = new ClusteringMetrics(request.labels(), request.method().id());
      ArtifactStore.Obtained obtained = store.obtain(key, dir -> produce(request, key, features, knn, metrics, dir),
          StageRun::heartbeatWaiting);
      ClusteringArtifact result = artifact(key, obtained, request);
      metrics.result(result);
      return result;
    });
  }

  private static JsonNode section(ClusteringRequest r) {
    ObjectNode section = JSON.createObjectNode();
    section.put("method", r.method().id());
    section.put("clusters", r.clusters());
    section.put("seed", r.seed());
    section.set("params", JSON.valueToTree(r.method() == ClusteringMethod.TEMI ? r.clustering().temi() : r.clustering().kmeans()));
    return section;
  }

  private JsonNode produce(ClusteringRequest request, StageKey key, Artifact features, Artifact knn,
      ClusteringMetrics metrics, Path dir)
      throws Exception {
    Path featuresFile = features.file(FeatureExtraction.FEATURES);
    Npy.Header header = Npy.readHeader(featuresFile);
    int n = (int) header.shape()[0];
    int d = (int) header.shape()[1];
    if (request.clusters() < 1 || (request.method() == ClusteringMethod.KMEANS && request.clusters() > n)) {
      throw new BadInputException("cannot make " + request.clusters() + " clusters of " + n + " images");
    }
    float[] x = Npy.readFloats(featuresFile);
    NonFiniteException.requireFinite(x, d, "features " + featuresFile,
        "clusters of NaN features are undefined (the feature network returned non-finite values)");
    String label = request.method().id() + " C=" + request.clusters();
    ObjectNode meta = JSON.createObjectNode();
    long[] assignments;
    if (request.method() == ClusteringMethod.TEMI) {
      Path knnFile = knn.file(KnnActivitiesImpl.INDICES);
      int width = (int) Npy.readHeader(knnFile).shape()[1];
      TemiTrainer trainer = new TemiTrainer(request.clustering().temi(), request.clusters(), request.seed(), device);
      Checkpoints checkpoints = new Checkpoints(store.workDir(key).resolve("checkpoints"), 2);
      TemiTrainer.Outcome outcome = trainer.train(x, n, d, Npy.readLongs(knnFile), width, checkpoints,
          p -> {
            metrics.temiLoss(p.loss());
            StageRun.heartbeat(new StageProgress(label, p.epoch(), p.epochs(), "epochs"));
          });
      assignments = outcome.assignments();
      ArrayNode losses = meta.putArray("headLosses");
      for (double l : outcome.headLosses()) {
        losses.add(l);
      }
      meta.put("bestHead", outcome.bestHead());
      meta.put("objective", outcome.headLosses()[outcome.bestHead()]);
      meta.put("resumedAtEpoch", outcome.resumedAtEpoch());
    } else {
      KMeans.Result result;
      try (NDManager manager = NDManager.newBaseManager(device)) {
        result = KMeans.fit(manager, x, n, d, request.clusters(), request.clustering().kmeans(), request.seed(),
            done -> StageRun.heartbeat(new StageProgress(label, done, request.clustering().kmeans().nInit(), "restarts")));
      }
      assignments = result.labels();
      meta.putArray("headLosses");
      meta.put("bestHead", -1);
      meta.put("objective", result.inertia());
    }
    ClusterStats stats = ClusterStats.of(assignments, request.clusters());
    Npy.write(dir.resolve(ASSIGNMENTS), assignments, n);
    Npy.write(dir.resolve(COUNTS), stats.counts(), stats.counts().length);
    meta.put("used", stats.used());
    meta.put("utilisation", stats.utilisation());
    meta.put("kl", stats.klFromUniform());
    Path labels = features.file(DatasetImporter.LABELS);
    if (Files.exists(labels)) {
      meta.set("scores", JSON.valueToTree(ClusterMetrics.of(Npy.readLongs(labels), assignments)));
    }
    return meta;
  }

  private static ClusteringArtifact artifact(StageKey key, ArtifactStore.Obtained obtained, ClusteringRequest r) {
    JsonNode m = obtained.artifact().manifest().meta();
    List<Double> losses = new ArrayList<>();
    m.get("headLosses").forEach(l -> losses.add(l.asDouble()));
    JsonNode s = m.get("scores");
    ClusterScores scores = s == null ? null
        : new ClusterScores(s.get("nmi").asDouble(), s.get("anmi").asDouble(), s.get("ari").asDouble(), s.get("acc").asDouble());
    return new ClusteringArtifact(key.id(), obtained.reused(), r.method(), r.clusters(), m.get("used").asInt(),
        m.get("utilisation").asDouble(), m.get("kl").asDouble(), losses, m.get("bestHead").asInt(),
        m.get("objective").asDouble(), scores);
  }
}
