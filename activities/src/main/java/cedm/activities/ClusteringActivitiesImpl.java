package cedm.activities;

import ai.djl.Device;
import cedm.cluster.ClusterScoring;
import cedm.cluster.ClusterStats;
import cedm.cluster.Clusterer;
import cedm.cluster.KMeansClusterer;
import cedm.data.DatasetImporter;
import cedm.features.FeatureExtraction;
import cedm.io.BadInputException;
import cedm.io.NonFiniteException;
import cedm.io.Npy;
import cedm.stage.ClusterScores;
import cedm.stage.ClusteringActivities;
import cedm.stage.ClusteringArtifact;
import cedm.stage.ClusteringRequest;
import cedm.stage.RunLabels;
import cedm.stage.StageProgress;
import cedm.store.Artifact;
import cedm.store.ArtifactStore;
import cedm.store.StageKey;
import cedm.temi.TemiClusterer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Clusters the features on this worker's device with the request's method (a {@link Clusterer}),
 * and records the clusters' use and, where the dataset has labels, their agreement with them.
 */
public final class ClusteringActivitiesImpl implements ClusteringActivities {
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

  /** What a clustering artifact's manifest records, beside its assignments and counts. */
  record Meta(List<Double> headLosses, int bestHead, double objective, int resumedAtEpoch, int used,
      double utilisation, double kl, ClusterScores scores) {}

  private Clusterer clusterer(ClusteringRequest r) {
    return switch (r.method()) {
      case TEMI -> new TemiClusterer(r.clustering().temi(), r.clusters(), r.seed(), device);
      case KMEANS -> new KMeansClusterer(r.clustering().kmeans(), r.clusters(), r.seed(), device);
    };
  }

  @Override
  public ClusteringArtifact cluster(ClusteringRequest request) {
    return StageRun.onDevices(Stage.CLUSTERING.id(), request.labels(), slot, store.ledger()).run(() -> {
      Clusterer clusterer = clusterer(request);
      Artifact features = Stage.FEATURES.require(store, request.featuresId());
      Artifact knn = clusterer.needsNeighbours() ? Stage.KNN.require(store, request.knnId()) : null;
      ObjectNode section = JSON.createObjectNode();
      section.put("method", request.method().id());
      section.put("clusters", request.clusters());
      section.put("seed", request.seed());
      section.set("params", JSON.valueToTree(clusterer.spec()));
      StageKey key = Stage.CLUSTERING.key(section,
          knn == null ? List.of(request.featuresId()) : List.of(request.featuresId(), request.knnId()));
      ClusteringGauges gauges = new ClusteringGauges(request.labels(), request.method().id());
      ArtifactStore.Obtained obtained = store.obtain(key,
          dir -> JSON.valueToTree(produce(request, clusterer, key, features, knn, gauges, dir)),
          StageRun::heartbeatWaiting);
      Meta m = obtained.artifact().meta(Meta.class);
      ClusteringArtifact result = new ClusteringArtifact(key.id(), obtained.reused(), request.method(),
          request.clusters(), m.used(), m.utilisation(), m.kl(), m.headLosses(), m.bestHead(), m.objective(), m.scores());
      gauges.result(result);
      return result;
    });
  }

  private Meta produce(ClusteringRequest request, Clusterer clusterer, StageKey key, Artifact features,
      Artifact knn, ClusteringGauges gauges, Path dir) throws Exception {
    Path featuresFile = features.file(FeatureExtraction.FEATURES);
    Npy.Header header = Npy.readHeader(featuresFile);
    int n = (int) header.shape()[0];
    int d = (int) header.shape()[1];
    if (request.clusters() < 1) {
      throw new BadInputException("cannot make " + request.clusters() + " clusters of " + n + " images");
    }
    float[] x = Npy.readFloats(featuresFile);
    NonFiniteException.requireFinite(x, d, "features " + featuresFile,
        "clusters of NaN features are undefined (the feature network returned non-finite values)");
    long[] neighbours = null;
    int width = 0;
    if (knn != null) {
      Path knnFile = knn.file(KnnActivitiesImpl.INDICES);
      width = (int) Npy.readHeader(knnFile).shape()[1];
      neighbours = Npy.readLongs(knnFile);
    }
    RunLabels run = RunLabels.orNone(request.labels());
    Clusterer.Result r = clusterer.cluster(new Clusterer.Input(x, n, d, neighbours, width), store.workDir(key),
        new Clusterer.Progress() {
          @Override
          public void at(int done, int total, String unit) {
            StageRun.heartbeat(StageProgress.of(Stage.CLUSTERING.id(), run, done, total, unit)
                .withPart(request.method().id()));
          }

          @Override
          public void loss(double value) {
            gauges.loss(value);
          }
        });
    ClusterStats stats = ClusterStats.of(r.assignments(), request.clusters());
    Npy.write(dir.resolve(ASSIGNMENTS), r.assignments(), n);
    Npy.write(dir.resolve(COUNTS), stats.counts(), stats.counts().length);
    Path labels = features.file(DatasetImporter.LABELS);
    ClusterScores scores = Files.exists(labels) ? ClusterScoring.of(Npy.readLongs(labels), r.assignments()) : null;
    return new Meta(r.headLosses(), r.bestHead(), r.objective(), r.resumedAtEpoch(), stats.used(),
        stats.utilisation(), stats.klFromUniform(), scores);
  }
}
