package cedm.doctor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import cedm.memory.NetworkProbe;
import cedm.memory.StageFootprint;
import cedm.spec.EvaluationSpec;
import cedm.spec.ExperimentSpec;
import cedm.spec.SpecLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Doctor's memory rows: a row per stage, and the stage that cannot fit FAILs naming the field that sizes it. */
class MemoryFitTest {
  private static final long MB = 1_000_000;
  private static final long GB = 1_000_000_000;
  private static final Path PAPER = Path.of("..", "specs", "paper-shape.yaml");
  /** Figures of the order NetworkProbe measures for paper-shape.yaml on a CPU. */
  private static final NetworkProbe.Result NETWORKS = new NetworkProbe.Result("cpu()", 210 * MB, 0, List.of(
      new NetworkProbe.Measured(NetworkProbe.FEATURES, 20 * MB, 0, 2 * MB, 1024),
      new NetworkProbe.Measured(NetworkProbe.SAMPLER, 390 * MB, 10 * MB, 12 * MB, 3072),
      new NetworkProbe.Measured(NetworkProbe.TEMI, 0, 300 * MB, MB, 400),
      new NetworkProbe.Measured(NetworkProbe.encoder(EvaluationSpec.Encoder.INCEPTION), 5 * MB, 0, 2 * MB, 2048),
      new NetworkProbe.Measured(NetworkProbe.encoder(EvaluationSpec.Encoder.DINOV2), 3 * MB, 0, 2 * MB, 1024)));

  private static List<Check> rows(String evaluationLine, Device device, long deviceMemory) throws Exception {
    String yaml = Files.readString(PAPER).replace("  steps: 18\n", "  steps: 18\n" + evaluationLine);
    ExperimentSpec spec = SpecLoader.parse("paper-shape.yaml", yaml, PAPER.getParent()).spec();
    return MemoryFit.rows(StageFootprint.predict(spec, 50_000, NETWORKS), device, 20 * GB, deviceMemory);
  }

  private static Check row(List<Check> rows, String name) {
    return rows.stream().filter(c -> c.name().equals(name)).findFirst().orElseThrow(() -> new AssertionError(rows));
  }

  @Test
  void thePapersSizesFitTwentyGigabytesAndAnOversizedBatchFailsNamingItsField() throws Exception {
    List<Check> paper = rows("", Device.cpu(), 0);
    assertEquals(List.of("features on cpu()", "knn on cpu()", "temi on cpu()", "reference inception on cpu()",
        "reference dinov2 on cpu()", "sampling on cpu()", "encoder inception on cpu()", "statistics inception on cpu()",
        "encoder dinov2 on cpu()", "statistics dinov2 on cpu()", "prdc on cpu()"),
        paper.stream().map(Check::name).toList());
    assertTrue(paper.stream().allMatch(c -> c.status() == Check.Status.OK), paper.toString());
    assertTrue(row(paper, "sampling on cpu()").evidence().startsWith("micro-batch 256, shard 5000: 4.19 GB predicted"),
        row(paper, "sampling on cpu()").evidence());

    Check sampling = row(rows("  batch_size: 4096\n", Device.cpu(), 0), "sampling on cpu()");
    assertEquals(Check.Status.FAIL, sampling.status());
    assertTrue(sampling.evidence().endsWith("reduce evaluation.batch_size until it fits"), sampling.evidence());

    // An encoder's batch is at most a shard: a large batch needs a shard as large to cost memory.
    Check encoder = row(rows("  shard_size: 20000\n  encoder_batch: 20000\n", Device.cpu(), 0),
        "encoder dinov2 on cpu()");
    assertEquals(Check.Status.FAIL, encoder.status());
    assertTrue(encoder.evidence().endsWith("reduce evaluation.encoder_batch until it fits"), encoder.evidence());
  }

  @Test
  void onAGpuTheNetworksPartMustFitTheDevice() throws Exception {
    List<Check> gpu = rows("", Device.gpu(0), 2 * GB);
    Check sampling = row(gpu, "sampling on gpu(0)");
    assertEquals(Check.Status.FAIL, sampling.status(), "3.5 GB of sampler on a 2 GB device");
    assertTrue(sampling.evidence().contains("of 2.0 GB on the device"), sampling.evidence());
    assertEquals(Check.Status.OK, row(gpu, "knn on gpu(0)").status(), "kNN holds nothing on the device");
  }
}
