package cedm.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import cedm.report.DeviceTime;
import cedm.runtime.SweepClient;
import cedm.runtime.SweepClient.RunningStage;
import cedm.spec.ClusteringMethod;
import cedm.stage.RunLabels;
import cedm.stage.StageProgress;
import cedm.store.DeviceLedger;
import cedm.workflow.GridPoint;
import cedm.workflow.Probe;
import cedm.workflow.TrialResult;
import cedm.workflow.TrialState;
import java.util.List;
import org.junit.jupiter.api.Test;

class StatusViewTest {
  @Test
  void evidenceTableListsEveryProbeInOrder() {
    List<String> lines = StatusView.evidence(List.of(new Probe(400, 0.978, 391, 0.12, -0.5, "abc", true),
        new Probe(800, 0.926, 741, 0.2, -0.4, "def", false)), 400);
    assertEquals(List.of(
        "C_max search: C_max = 400",
        "       C     r_C   used      KL       loss  artifact",
        "     400   0.978    391   0.120    -0.5000  clustering/abc (reused)",
        "     800   0.926    741   0.200    -0.4000  clustering/def"), lines);
  }

  @Test
  void aRunningTrialShowsItsProgressAndTheWorkerRunningIt() {
    GridPoint point = new GridPoint(GridPoint.Kind.CLUSTERS, ClusteringMethod.TEMI, 4);
    List<TrialResult> trials = List.of(new TrialResult(point, TrialState.RUNNING, null, null, null, ""));
    RunLabels labels = new RunLabels("s1", "temi-C=4", 4);
    RunningStage training = new RunningStage("training", 1, 10, null, StageProgress.of("training", labels, 1, 2, "kimg"),
        "training", true, "4242@gpu-7", "s1/temi-C=4", null);
    RunningStage otherSweep = new RunningStage("training", 1, 10, null, StageProgress.of("training", labels, 2, 2, "kimg"),
        "training", true, "7@gpu-1", "s2/temi-C=4", null);
    assertEquals("training temi-C=4", training.label());
    assertEquals(List.of("grid", "  temi-C=4         running  training [############------------] 1/2 kimg on 4242@gpu-7"),
        StatusView.trials("s1", trials, List.of(otherSweep, training)));
  }

  @Test
  void aRetryingStageShowsItsAttemptsAndLastFailureBeforeItsFirstHeartbeat() {
    GridPoint point = new GridPoint(GridPoint.Kind.CLUSTERS, ClusteringMethod.KMEANS, 3);
    List<TrialResult> trials = List.of(new TrialResult(point, TrialState.RUNNING, null, null, null, ""));
    RunningStage retrying = new RunningStage("clustering", 3, 10, "/store/x.npy: No space left on device", null,
        "clustering", false, "9@cpu-1", "s1/kmeans-C=3", null);
    assertEquals(List.of("grid", "  kmeans-C=3       running  clustering (attempt 3 of 10, last failure: "
        + "/store/x.npy: No space left on device)"), StatusView.trials("s1", trials, List.of(retrying)));
  }

  @Test
  void aStageOnAQueueThatNobodyPollsSaysSoAndForHowLong() {
    GridPoint point = new GridPoint(GridPoint.Kind.CLUSTERS, ClusteringMethod.TEMI, 4);
    List<TrialResult> trials = List.of(new TrialResult(point, TrialState.RUNNING, null, null, null, ""));
    RunningStage waiting = new RunningStage("training", 1, 10, null, null, "training", false, "", "s1/temi-C=4",
        new SweepClient.Waiting("cedm-gpu-x2", "a worker with at least 2 devices", java.time.Duration.ofSeconds(192)));
    assertEquals(List.of("grid", "  temi-C=4         running  training waiting 3m12s: no worker polls cedm-gpu-x2; it "
        + "needs a worker with at least 2 devices"), StatusView.trials("s1", trials, List.of(waiting)));
  }

  @Test
  void deviceTimeAddsEveryAttemptPerStageAndPointWithGpusAndCpuSlotsApart() {
    List<DeviceLedger.Entry> entries = List.of(
        new DeviceLedger.Entry("features", "", 0, "gpu", 1, 1800, "computed", "t0"),
        new DeviceLedger.Entry("training", "temi-C=4", 4, "gpu", 4, 900, "failed", "t1"),
        new DeviceLedger.Entry("training", "temi-C=4", 4, "gpu", 4, 2700, "computed", "t2"),
        new DeviceLedger.Entry("training", "unconditional", 0, "cpu", 1, 3600, "computed", "t3"),
        new DeviceLedger.Entry("dataset", "", 0, "cpu", 0, 60, "computed", "t4"));
    assertEquals(List.of(
        "device time (GPU-hours, and hours of CPU slots standing in for GPUs; every attempt counts)",
        "  stage                GPU h  CPU-slot h  attempts",
        "  dataset             0.0000      0.0000         1",
        "  features            0.5000      0.0000         1",
        "  training            4.0000      1.0000         3",
        "  total               4.5000      1.0000         5",
        "  point                GPU h  CPU-slot h  attempts",
        "  temi-C=4            4.0000      0.0000         2",
        "  unconditional       0.0000      1.0000         1"), StatusView.deviceTime(DeviceTime.of(entries)));
  }
}
