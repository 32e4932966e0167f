package cedm.workflow;

import static org.junit.jupiter.api.Assertions.assertEquals;

import cedm.spec.ClusteringSpec;
import cedm.spec.ExperimentSpec;
import cedm.spec.SearchSpec;
import cedm.spec.SpecLoader;
import cedm.stage.RunLabels;
import io.temporal.client.WorkflowOptions;
import io.temporal.worker.Worker;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The search replays the TEMI utilisations published in the paper (beta 0.6) and lands on the
 * C_max they imply with alpha = 0.96, with the probes that doubling plus bisection implies.
 */
class CmaxSearchWorkflowTest {
  @RegisterExtension final TemporalPerTest temporal = new TemporalPerTest();
  private ExperimentSpec spec;

  @BeforeEach
  void setUp() throws Exception {
    spec = SpecLoader.load(Path.of("..", "specs", "demo.yaml")).spec();
  }

  private CmaxResult search(FakeStages stages, int start, int resolution) {
    Worker cpu = temporal.env().newWorker(spec.runtime().cpuQueue());
    cpu.registerWorkflowImplementationTypes(CmaxSearchWorkflowImpl.class);
    temporal.env().newWorker(spec.runtime().gpuQueue()).registerActivitiesImplementations(stages);
    temporal.env().start();
    CmaxSearchWorkflow wf = temporal.env().getWorkflowClient().newWorkflowStub(CmaxSearchWorkflow.class,
        WorkflowOptions.newBuilder().setTaskQueue(spec.runtime().cpuQueue()).setWorkflowId("s/cmax").build());
    ClusteringSpec temi = new ClusteringSpec(cedm.spec.ClusteringMethod.TEMI, spec.clustering().temi(), spec.clustering().kmeans());
    return wf.search(new CmaxRequest("sweep1", "feat1", "knn1", temi, new SearchSpec(true, start, 0.96, resolution, 10000), 0,
        spec.runtime()));
  }

  private static List<Integer> probed(CmaxResult r) {
    return r.evidence().stream().map(Probe::clusters).toList();
  }

  @Test
  void cifar10() {
    FakeStages stages = FakeStages.table(Map.of(200, .995, 400, .978, 500, .98, 600, .93, 800, .926));
    CmaxResult r = search(stages, 50, 100);
    assertEquals(500, r.cMax());
    assertEquals(List.of(50, 100, 200, 400, 800, 600, 500), probed(r));
    assertEquals(0.98, r.evidence().get(6).utilisation());
    assertEquals("clu-temi-C=500", r.evidence().get(6).artifactId());
    assertEquals(new RunLabels("sweep1", "cmax-search", 600), stages.clusteredFor.get(5), "each probe is labelled by its C");
  }

  /** CIFAR-100 publishes 400, 600 and 800: at resolution 200 the bisection stops between 600 and 800. */
  @Test
  void cifar100() {
    CmaxResult r = search(FakeStages.table(Map.of(400, .985, 600, .967, 800, .939)), 50, 200);
    assertEquals(600, r.cMax());
    assertEquals(List.of(50, 100, 200, 400, 800, 600), probed(r));
  }

  /** FFHQ publishes 400, 600 and 700; r at 800 is not published, any value at or below alpha gives this. */
  @Test
  void ffhq64() {
    CmaxResult r = search(FakeStages.table(Map.of(400, .98, 600, .963, 700, .95, 800, .94)), 50, 100);
    assertEquals(600, r.cMax());
    assertEquals(List.of(50, 100, 200, 400, 800, 600, 700), probed(r));
  }

  @Test
  void aStartAlreadyBelowAlphaHalvesDown() {
    CmaxResult r = search(new FakeStages(c -> c <= 24 ? 1.0 : 0.5), 100, 4);
    assertEquals(21, r.cMax(), "within resolution 4 of the true boundary 24");
    assertEquals(List.of(100, 50, 25, 12, 18, 21), probed(r));
  }
}
