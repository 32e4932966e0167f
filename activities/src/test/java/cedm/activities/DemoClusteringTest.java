package cedm.activities;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cedm.spec.ClusteringMethod;
import cedm.spec.ClusteringSpec;
import cedm.spec.ExperimentSpec;
import cedm.spec.SpecLoader;
import cedm.stage.ClusteringArtifact;
import cedm.stage.ClusteringRequest;
import cedm.stage.DatasetArtifact;
import cedm.stage.DatasetRequest;
import cedm.stage.FeaturesArtifact;
import cedm.stage.FeaturesRequest;
import cedm.stage.KnnArtifact;
import cedm.stage.KnnRequest;
import cedm.stage.RunLabels;
import cedm.store.ArtifactStore;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The demo's chain up to clustering, through the real activities: on shapes with 8 known groups,
 * TEMI with C = 8 recovers the groups well, and cluster utilisation falls once C is far above 8.
 */
class DemoClusteringTest {
  @RegisterExtension static final ActivityStubs ACTIVITIES = new ActivityStubs();
  @TempDir static Path tmp;
  static ExperimentSpec spec;
  static ArtifactStore store;
  static FeaturesArtifact features;
  static KnnArtifact knn;

  @BeforeAll
  static void demoFeatures() throws Exception {
    spec = SpecLoader.load(Path.of("..", "specs", "demo.yaml")).spec();
    store = new ArtifactStore(tmp.resolve("store"));
    DatasetArtifact dataset = ACTIVITIES.dataset(store).importDataset(new DatasetRequest(spec.dataset(), spec.seed(), RunLabels.NONE));
    features = ACTIVITIES.features(store)
        .extractFeatures(new FeaturesRequest(dataset.artifactId(), spec.features(), spec.seed(), RunLabels.NONE));
    knn = ACTIVITIES.knn(store).mineNeighbours(new KnnRequest(features.artifactId(), spec.features().knn(), RunLabels.NONE));
  }

  private static ClusteringArtifact cluster(ClusteringMethod method, int c) {
    return cluster(method, c, spec.clustering());
  }

  private static ClusteringArtifact cluster(ClusteringMethod method, int c, ClusteringSpec clustering) {
    return ACTIVITIES.clustering(store).cluster(
        new ClusteringRequest(features.artifactId(), knn.artifactId(), method, c, clustering, spec.seed(),
            new RunLabels("demo", method.id() + "-C=" + c, c)));
  }

  /** The demo's clustering section with one field of one method's section changed. */
  private static ClusteringSpec with(String method, String field, int value) throws Exception {
    ObjectMapper json = new ObjectMapper();
    ObjectNode tree = json.valueToTree(spec.clustering());
    ((ObjectNode) tree.get(method)).put(field, value);
    return json.treeToValue(tree, ClusteringSpec.class);
  }

  @Test
  void temiFindsTheGroupsAtTheirTrueNumberAndLeavesClustersEmptyFarBeyond() {
    ClusteringArtifact atTruth = cluster(ClusteringMethod.TEMI, 8);
    System.out.println("DemoClusteringTest " + atTruth.describe());
    ClusteringArtifact far = cluster(ClusteringMethod.TEMI, 64);
    System.out.println("DemoClusteringTest " + far.describe());
    assertTrue(atTruth.scores().anmi() >= 0.65, atTruth.describe());
    assertTrue(far.utilisation() < atTruth.utilisation(), far.describe());
    assertTrue(far.utilisation() < 0.9, far.describe());
    assertEquals(spec.clustering().temi().heads(), atTruth.headLosses().size());
    assertTrue(cluster(ClusteringMethod.TEMI, 8).reused(), "the same request is served from the store");
  }

  @Test
  void kmeansOnTheSameFeatures() {
    ClusteringArtifact k = cluster(ClusteringMethod.KMEANS, 8);
    System.out.println("DemoClusteringTest " + k.describe());
    assertEquals(8, k.used());
    assertTrue(k.scores().anmi() >= 0.3, k.describe());
  }

  /** A method's artifact id holds its own section: another method's parameters neither split nor merge it. */
  @Test
  void aClusteringIsIdentifiedByItsOwnMethodsParameters() throws Exception {
    ClusteringArtifact k = cluster(ClusteringMethod.KMEANS, 5);
    assertEquals(k.artifactId(), cluster(ClusteringMethod.KMEANS, 5, with("temi", "epochs", 3)).artifactId());
    ClusteringArtifact restarts = cluster(ClusteringMethod.KMEANS, 5, with("kmeans", "nInit", 2));
    assertNotEquals(k.artifactId(), restarts.artifactId());
    assertFalse(restarts.reused());
  }
}
