package cedm.activities;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import cedm.activity.ClusteringArtifact;
import cedm.activity.RunLabels;
import cedm.activity.ClusteringRequest;
import cedm.activity.DatasetArtifact;
import cedm.activity.DatasetRequest;
import cedm.activity.FeaturesArtifact;
import cedm.activity.FeaturesRequest;
import cedm.activity.KnnArtifact;
import cedm.activity.KnnRequest;
import cedm.spec.ClusteringMethod;
import cedm.spec.ExperimentSpec;
import cedm.spec.SpecLoader;
import cedm.store.ArtifactStore;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The demo's chain up to clustering, through the real activities: on shapes with 8 known groups,
 * TEMI with C = 8 recovers the groups well, and cluster utilisation falls once C is far above 8.
 */
class DemoClusteringTest {
  @TempDir static Path tmp;
  static ExperimentSpec spec;
  static ArtifactStore store;
  static FeaturesArtifact features;
  static KnnArtifact knn;

  @BeforeAll
  static void demoFeatures() throws Exception {
    spec = SpecLoader.load(Path.of("..", "specs", "demo.yaml")).spec();
    store = new ArtifactStore(tmp.resolve("store"));
    DatasetArtifact dataset = new DatasetActivitiesImpl(store).importDataset(new DatasetRequest(spec.dataset(), spec.seed(), RunLabels.NONE));
    features = new FeatureActivitiesImpl(store, DevicePool.cpu(1).slot(0))
        .extractFeatures(new FeaturesRequest(dataset.artifactId(), spec.features(), spec.seed(), RunLabels.NONE));
    knn = new KnnActivitiesImpl(store).mineNeighbours(new KnnRequest(features.artifactId(), spec.features().knn(), RunLabels.NONE));
  }

  private static ClusteringArtifact cluster(ClusteringMethod method, int c) {
    return new ClusteringActivitiesImpl(store, DevicePool.cpu(1).slot(0)).cluster(
        new ClusteringRequest(features.artifactId(), knn.artifactId(), method, c, spec.clustering(), spec.seed(),
            new RunLabels("demo", method.id() + "-C=" + c, c)));
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
}
