package cedm.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;

import cedm.io.Npy;
import cedm.stage.ClusterScores;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Against scikit-learn (NMI, AMI, ARI) and TEMI's accuracy with scipy's assignment: fixtures/make_cluster_fixtures.py. */
class ClusterScoringTest {

  static Path fixture(String name) throws Exception {
    return Path.of(ClusterScoringTest.class.getResource("/fixtures/cluster/" + name).toURI());
  }

  @ParameterizedTest
  @ValueSource(strings = {"same_k", "over", "under", "sparse_ids"})
  void equalsScikitLearnWithin1e9(String name) throws Exception {
    long[] labels = Npy.readLongs(fixture("metrics_" + name + "_labels.npy"));
    long[] clusters = Npy.readLongs(fixture("metrics_" + name + "_clusters.npy"));
    JsonNode expected = new ObjectMapper().readTree(fixture("metrics.json").toFile()).get(name);
    ClusterScores m = ClusterScoring.of(labels, clusters);
    assertEquals(expected.get("nmi").asDouble(), m.nmi(), 1e-9, "NMI");
    assertEquals(expected.get("anmi").asDouble(), m.anmi(), 1e-9, "AMI");
    assertEquals(expected.get("ari").asDouble(), m.ari(), 1e-9, "ARI");
    assertEquals(expected.get("acc").asDouble(), m.acc(), 1e-9, "ACC");
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 3})
  void identicalLabelingsScoreOne(int classes) {
    long[] labels = new long[60];
    for (int i = 0; i < labels.length; i++) {
      labels[i] = i % classes;
    }
    ClusterScores m = ClusterScoring.of(labels, labels.clone());
    assertEquals(1.0, m.nmi(), 1e-12);
    assertEquals(1.0, m.anmi(), 1e-12);
    assertEquals(1.0, m.ari(), 1e-12);
    assertEquals(1.0, m.acc(), 1e-12);
  }
}
