package cedm.activities;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import cedm.edm.SampleGenerator;
import cedm.eval.EvalNetwork;
import cedm.eval.Prdc;
import cedm.eval.SampleShards;
import cedm.spec.EvaluationSpec;
import cedm.spec.ExperimentSpec;
import cedm.spec.SpecLoader;
import cedm.stage.DatasetArtifact;
import cedm.stage.DatasetRequest;
import cedm.stage.EvaluationActivities;
import cedm.stage.EvaluationArtifact;
import cedm.stage.EvaluationRequest;
import cedm.stage.RunLabels;
import cedm.stage.TrainingArtifact;
import cedm.stage.TrainingRequest;
import cedm.stage.TrainingRequest.Conditioning;
import cedm.store.ArtifactStore;
import cedm.store.Manifest;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Sharded evaluation: every metric per set; a run killed between shards ends with exactly the features of an uninterrupted one. */
class EvaluationActivitiesTest {
  @RegisterExtension static final ActivityStubs ACTIVITIES = new ActivityStubs();
  private static final RunLabels GROUND_TRUTH = new RunLabels("sweep-1", "ground-truth", 0);
  @TempDir Path tmp;

  private ExperimentSpec spec() throws Exception {
    return SpecLoader.parse("e.yaml", """
        name: e
        dataset: {kind: shapes, count: 48, resolution: 16, groups: 3}
        features: {extractor: builtin}
        training: {preset: tiny, duration_mimg: 0.0002, batch_size: 16, checkpoint_kimg: 0.1, tick_kimg: 0.1}
        evaluation: {sets: 2, samples_per_set: 20, shard_size: 8, batch_size: 8, steps: 4, feature_network: builtin,
                     metrics: [fid, fdd, prdc], save_images: true}
        """, tmp).spec();
  }

  private record Chain(ArtifactStore store, EvaluationRequest request) {}

  private Chain trained(String name) throws Exception {
    ExperimentSpec spec = spec();
    ArtifactStore store = new ArtifactStore(tmp.resolve(name));
    DatasetArtifact dataset = ACTIVITIES.dataset(store).importDataset(new DatasetRequest(spec.dataset(), 0, RunLabels.NONE));
    TrainingArtifact model = ACTIVITIES.training(store).train(new TrainingRequest(
        dataset.artifactId(), Conditioning.DATASET_LABELS, null, spec.training(), 0, GROUND_TRUTH));
    return new Chain(store, new EvaluationRequest(model.artifactId(), dataset.artifactId(), spec.evaluation(),
        GROUND_TRUTH));
  }

  @Test
  void anEvaluationScoresEachSetWithEveryMetricsResults() throws Exception {
    Chain chain = trained("straight");
    EvaluationActivities evaluation = ACTIVITIES.evaluation(chain.store());
    EvaluationArtifact expected = evaluation.evaluate(chain.request());
    assertEquals(2, expected.fid().size());
    assertTrue(expected.proxy());
    assertTrue(expected.fid().stream().allMatch(f -> f > 0 && Double.isFinite(f)), expected.describe());
    assertFalse(expected.fid().get(0).equals(expected.fid().get(1)), "different seeds, different sets");
    assertEquals(2, expected.result("fdd").size(), "FDD per set with its own (proxy) network");
    assertFalse(expected.result("fdd").equals(expected.fid()));
    assertEquals(List.of("fid", "fdd", "precision", "recall", "density", "coverage"),
        List.copyOf(expected.scores().keySet()), "the metrics' results, in the spec's order");
    for (String r : List.of("precision", "recall", "coverage")) {
      assertTrue(expected.result(r).stream().allMatch(v -> v >= 0 && v <= 1), r + " " + expected.result(r));
    }
    Path dir = chain.store().artifactDir(Stage.EVALUATION.key(expected.artifactId()));
    for (String f : new String[] {"set0.builtin-inception.npz", "set1.builtin-dinov2.npz", "images/000000/000019.png"}) {
      assertTrue(Files.isRegularFile(dir.resolve(f)), f);
    }
    EvaluationArtifact again = evaluation.evaluate(chain.request());
    assertTrue(again.reused());
    assertEquals(expected.scores(), again.scores());
  }

  /** What a killed worker leaves: the progress callback ends the run, as a kill would, after some shards. */
  private static final class Killed extends RuntimeException {}

  /** Sample shards: a run killed between shards ends with exactly the features of an uninterrupted one. */
  @Test
  void aKilledSampleRunResumesAtItsNextShardWithIdenticalFeatures() throws Exception {
    Chain chain = trained("killed");
    EvaluationSpec spec = chain.request().evaluation();
    try (NDManager m = NDManager.newBaseManager(); EvalNetwork inception = EvalNetwork.builtin("inception", Device.cpu(), 64);
        EvalNetwork dinov2 = EvalNetwork.builtin("dinov2", Device.cpu(), 64)) {
      List<EvalNetwork> networks = List.of(inception, dinov2);
      SampleGenerator generator = TrainedModel.find(chain.store(), chain.request().trainingId()).generator(m, spec);
      SampleShards straight = new SampleShards(tmp.resolve("straight-shards"), 2, 20, 8);
      assertEquals(6, straight.generate(m, generator, networks, 16, false, done -> {}));
      SampleShards killed = new SampleShards(tmp.resolve("killed-shards"), 2, 20, 8);
      assertThrows(Killed.class, () -> killed.generate(m, generator, networks, 16, false, done -> {
        if (done == 4) {
          throw new Killed();
        }
      }));
      // Stamped with the epoch, so a rewrite shows whatever the file system's timestamp resolution.
      FileTime stamp = FileTime.fromMillis(0);
      List<Path> kept = shardFiles(tmp.resolve("killed-shards"));
      for (Path f : kept) {
        Files.setLastModifiedTime(f, stamp);
      }
      assertEquals(8, kept.size(), "the 4 finished shards are kept, for each encoder");
      assertThrows(Killed.class, () -> killed.generate(m, generator, networks, 16, false, done -> {
        throw new Killed();
      }));
      for (Path f : kept) {
        assertEquals(stamp, Files.getLastModifiedTime(f), "not generated again: " + f);
      }
      assertEquals(10, shardFiles(tmp.resolve("killed-shards")).size(), "a restart generates the next unfinished shard");
      assertEquals(1, killed.generate(m, generator, networks, 16, false, done -> {}), "only the last shard is left");
      int[] every = Prdc.pick(20, 20, 0);
      for (int set = 0; set < 2; set++) {
        for (EvalNetwork n : networks) {
          assertArrayEquals(straight.rows(set, n, every).rows(), killed.rows(set, n, every).rows(), "set " + set + " " + n.id());
        }
      }
    }
  }

  private static List<Path> shardFiles(Path dir) throws Exception {
    try (var files = Files.list(dir)) {
      return files.filter(f -> f.getFileName().toString().matches("set\\d-shard.*\\.npy")).toList();
    }
  }

  /** An evaluation belongs to the weights it sampled: other weights under the same training id are evaluated anew. */
  @Test
  void aModelRetrainedUnderTheSameIdIsEvaluatedAgain() throws Exception {
    Chain chain = trained("retrained");
    EvaluationActivities evaluation = ACTIVITIES.evaluation(chain.store());
    EvaluationArtifact first = evaluation.evaluate(chain.request());
    Path model = chain.store().artifactDir(Stage.TRAINING.key(chain.request().trainingId()));
    Path weights = model.resolve(TrainingActivitiesImpl.EMA);
    byte[] bytes = Files.readAllBytes(weights);
    bytes[bytes.length - 1] ^= 1;
    Files.write(weights, bytes);
    ObjectNode manifest = (ObjectNode) new ObjectMapper().readTree(model.resolve(Manifest.FILE).toFile());
    for (JsonNode f : manifest.get("files")) {
      if (f.get("name").asText().equals(TrainingActivitiesImpl.EMA)) {
        ((ObjectNode) f).put("sha256", ArtifactStore.sha256(weights));
      }
    }
    new ObjectMapper().writeValue(model.resolve(Manifest.FILE).toFile(), manifest);

    EvaluationArtifact second = evaluation.evaluate(chain.request());
    assertFalse(second.reused(), "the weights changed");
    assertNotEquals(first.artifactId(), second.artifactId());
    assertTrue(evaluation.evaluate(chain.request()).reused(), "the same weights again");
  }

  /** With fid_reference naming set 0's own statistics, set 0 is at distance 0 and set 1 is not. */
  @Test
  void anEdmFormatReferenceFileReplacesTheTrainingSetStatistics() throws Exception {
    Chain chain = trained("reference");
    EvaluationArtifact first = ACTIVITIES.evaluation(chain.store()).evaluate(chain.request());
    Path set0 = chain.store().artifactDir(Stage.EVALUATION.key(first.artifactId()))
        .resolve("set0.builtin-inception.npz");
    Files.copy(set0, tmp.resolve("ref.npz"));
    ExperimentSpec spec = SpecLoader.parse("r.yaml", """
        name: e
        dataset: {kind: shapes, count: 48, resolution: 16, groups: 3}
        features: {extractor: builtin}
        training: {preset: tiny, duration_mimg: 0.0002, batch_size: 16, checkpoint_kimg: 0.1, tick_kimg: 0.1}
        evaluation: {sets: 2, samples_per_set: 20, shard_size: 8, batch_size: 8, steps: 4, feature_network: builtin,
                     fid_reference: ref.npz}
        """, tmp).spec();
    EvaluationArtifact against = ACTIVITIES.evaluation(chain.store()).evaluate(
        new EvaluationRequest(chain.request().trainingId(), chain.request().datasetId(), spec.evaluation(), GROUND_TRUTH));
    assertEquals(0, against.fid().get(0), 1e-6, "set 0 against its own statistics");
    assertTrue(against.fid().get(1) > 1e-3, "set 1 differs: " + against.fid());
  }
}
