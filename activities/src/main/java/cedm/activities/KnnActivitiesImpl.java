package cedm.activities;

import cedm.features.FeatureExtraction;
import cedm.io.NonFiniteException;
import cedm.io.Npy;
import cedm.knn.KnnMiner;
import cedm.stage.KnnActivities;
import cedm.stage.KnnArtifact;
import cedm.stage.KnnRequest;
import cedm.stage.StageProgress;
import cedm.store.Artifact;
import cedm.store.ArtifactStore;
import cedm.store.StageKey;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.List;

/** Mines the neighbours of every training feature vector. */
public final class KnnActivitiesImpl implements KnnActivities {
  public static final String INDICES = "indices.npy";
  public static final String SIMILARITIES = "similarities.npy";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final ArtifactStore store;

  public KnnActivitiesImpl(ArtifactStore store) {
    this.store = store;
  }

  @Override
  public KnnArtifact mineNeighbours(KnnRequest request) {
    return StageRun.of(Stage.KNN.id(), request.labels(), store.ledger()).run(() -> {
      Artifact features = Stage.FEATURES.require(store, request.featuresId());
      StageKey key = Stage.KNN.key(JSON.createObjectNode().put("m", request.m()), List.of(request.featuresId()));
      ArtifactStore.Obtained obtained = store.obtain(key, dir -> mine(features.file(FeatureExtraction.FEATURES), request.m(), dir),
          StageRun::heartbeatWaiting);
      Meta m = obtained.artifact().meta(Meta.class);
      return new KnnArtifact(key.id(), obtained.reused(), m.n(), m.m(), m.meanSimilarity());
    });
  }

  /** What a kNN artifact's manifest records, beside its indices and similarities. */
  record Meta(int n, int m, double meanSimilarity) {}

  private static JsonNode mine(Path featuresFile, int m, Path dir) throws Exception {
    Npy.Header header = Npy.readHeader(featuresFile);
    int n = (int) header.shape()[0];
    int d = (int) header.shape()[1];
    float[] features = Npy.readFloats(featuresFile);
    NonFiniteException.requireFinite(features, d, "features " + featuresFile,
        "cosine similarities of NaN cannot rank neighbours (the feature network returned non-finite values)");
    KnnMiner.Neighbours result = KnnMiner.mine(features, n, d, m, KnnMiner.BLOCK_ROWS,
        done -> StageRun.heartbeat(new StageProgress(Stage.KNN.id(), done, n, "images")));
    Npy.write(dir.resolve(INDICES), result.indices(), n, m);
    Npy.write(dir.resolve(SIMILARITIES), result.similarities(), n, m);
    double sum = 0;
    for (float s : result.similarities()) {
      sum += s;
    }
    return JSON.valueToTree(new Meta(n, m, sum / result.similarities().length));
  }
}
