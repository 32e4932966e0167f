package cedm.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `cedm doctor`: the table on this host, and the rows that fail with their file, field or address. */
class DoctorTest {
  @TempDir Path tmp;

  private static boolean row(Cli cli, String status, String name, String evidence) {
    return cli.out().lines().anyMatch(l -> l.matches(status + " +" + java.util.regex.Pattern.quote(name) + " +.*")
        && l.contains(evidence));
  }

  @Test
  void theDemoSpecPassesOnThisHost() {
    Cli doctor = Cli.run("doctor", Path.of("..", "specs", "demo.yaml").toString(), "--store", tmp.resolve("s").toString());
    assertEquals(0, doctor.exitCode(), doctor.out() + doctor.err());
    assertTrue(row(doctor, "OK", "engine", "PyTorch 2.7.1"), doctor.out());
    assertTrue(row(doctor, "OK", "device cpu()", "GiB memory available"), doctor.out());
    assertTrue(row(doctor, "OK", "gradients cpu()", "gradients of a tiny EDM step equal PyTorch's reference on cpu(): "
        + "largest relative error"), doctor.out());
    assertTrue(doctor.out().lines().anyMatch(l -> l.matches("OK +training on cpu\\(\\) +tiny 16px: [0-9.]+ images/s at "
        + "batch 4; \\d+ MB \\+ [0-9.]+ MB per image, so batch_gpu up to [0-9,]+ fits .* \\(the spec asks 32 per device\\)")),
        doctor.out());
    for (String stage : List.of("features", "knn", "temi", "reference inception", "reference dinov2", "sampling",
        "encoder inception", "statistics inception", "encoder dinov2", "prdc")) {
      assertTrue(row(doctor, "OK", stage + " on cpu()", " GB predicted ("), stage + ":\n" + doctor.out());
    }
    assertTrue(row(doctor, "OK", "sampling on cpu()", "micro-batch 50, shard 100: "), doctor.out());
    assertTrue(row(doctor, "OK", "temi on cpu()", "C = 32, 4 heads, batch 256: "), doctor.out());
    assertTrue(row(doctor, "OK", "store", "its lock excludes a second process"), doctor.out());
    assertTrue(row(doctor, "OK", "disk", "8 trials"), doctor.out());
    assertTrue(row(doctor, "OK", "runtime.gpus_per_trial", "1 device(s) per training; --gpus cpu gives 1"), doctor.out());
    assertTrue(doctor.out().contains("cedm doctor: nothing failed"), doctor.out());
  }

  @Test
  void aModelThatIsNotTorchScriptAClosedTargetAndTooFewDevicesFailWithTheirFileFieldAndAddress() throws Exception {
    Files.writeString(tmp.resolve("junk.pt"), "not torchscript\n");
    Path spec = Files.writeString(tmp.resolve("junk.yaml"), """
        name: junk
        dataset: {kind: shapes, resolution: 16, count: 100}
        features: {extractor: torchscript, model: junk.pt}
        evaluation: {feature_network: builtin}
        training: {preset: tiny}
        runtime: {gpus_per_trial: 2}
        """);
    Cli doctor = Cli.run("doctor", spec.toString(), "--store", tmp.resolve("s").toString(), "--target", "127.0.0.1:1",
        "--gpus", "cpu");
    assertEquals(1, doctor.exitCode(), doctor.out() + doctor.err());
    assertTrue(row(doctor, "FAIL", "features.model", tmp.resolve("junk.pt") + ": not a loadable TorchScript model"),
        doctor.out());
    assertTrue(row(doctor, "FAIL", "temporal", "127.0.0.1:1 namespace default: UNAVAILABLE"), doctor.out());
    assertTrue(row(doctor, "FAIL", "runtime.gpus_per_trial", "2 devices per training, but --gpus cpu gives 1: a worker "
        + "like this one never takes the trainings (queue cedm-gpu-x2); give --gpus 2 devices (CUDA ids or cpu:2) or set "
        + "runtime.gpus_per_trial: 1"), doctor.out());
    assertTrue(doctor.out().contains("cedm doctor: 3 check(s) failed"), doctor.out());
  }

  @Test
  void aMissingModelFileFailsTheSpecRowNamingFieldAndFile() throws Exception {
    Path spec = Files.writeString(tmp.resolve("missing.yaml"), """
        name: missing
        dataset: {kind: shapes}
        features: {extractor: torchscript, model: nowhere.pt}
        evaluation: {feature_network: builtin}
        """);
    Cli doctor = Cli.run("doctor", spec.toString(), "--store", tmp.resolve("s").toString());
    assertEquals(1, doctor.exitCode(), doctor.out() + doctor.err());
    assertTrue(row(doctor, "FAIL", "spec", "features.model: file not found: " + tmp.resolve("nowhere.pt")), doctor.out());
  }
}
