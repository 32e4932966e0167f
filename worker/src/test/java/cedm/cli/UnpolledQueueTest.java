package cedm.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cedm.runtime.CedmWorker;
import cedm.runtime.GpuList;
import cedm.runtime.LocalSweeps;
import cedm.runtime.SweepQueues;
import cedm.spec.SpecLoader;
import cedm.store.ArtifactStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 26: a sweep whose trainings need two devices, submitted to a worker with one. `cedm submit`
 * names the queue nobody polls and what a worker needs to poll it; `cedm status` shows the training
 * waiting there, with the same words and for how long, instead of a stage that seems to run.
 */
class UnpolledQueueTest {
  @TempDir Path tmp;

  @Test
  void submitWarnsAndStatusShowsTheTrainingWaitingOnTheWideQueue() throws Exception {
    Path spec = Files.writeString(tmp.resolve("wide.yaml"), CliTest.smallSpec("runtime: {gpus_per_trial: 2}\n"));
    Path store = tmp.resolve("store");
    try (LocalSweeps local = LocalSweeps.start(new ArtifactStore(store));
        CedmWorker worker = local.worker(GpuList.parse("cpu").worker("cedm-cpu", "cedm-gpu", 2))) {
      // The worker's first polls reach the server a moment after it starts.
      List<SweepQueues.Need> unpolled = List.of();
      for (int i = 0; i < 100; i++) {
        unpolled = local.sweeps().unpolled(SpecLoader.load(spec).spec().runtime()).orElseThrow();
        if (unpolled.size() == 1) {
          break;
        }
        Thread.sleep(100);
      }
      assertEquals(List.of("cedm-gpu-x2"), unpolled.stream().map(SweepQueues.Need::queue).toList());

      Cli submit = Cli.run("submit", spec.toString(), "--target", local.target(), "--store", store.toString());
      assertEquals(0, submit.exitCode(), submit.out() + submit.err());
      assertEquals("cedm: warning: no worker polls cedm-gpu-x2 (training on 2 devices): those stages wait until a "
          + "worker with at least 2 devices: --gpus with 2 CUDA ids or cpu:2 starts\n", submit.err());
      String sweep = submit.out().lines().findFirst().orElseThrow().replace("submitted sweep ", "");

      String waiting = null;
      for (int i = 0; i < 240 && waiting == null; i++) {
        Cli status = Cli.run("status", sweep, "--target", local.target(), "--store", store.toString());
        waiting = status.out().lines().filter(l -> l.contains("kmeans-C=4") && l.contains("waiting")).findFirst()
            .orElse(null);
        Thread.sleep(500);
      }
      assertTrue(waiting != null, "the training never showed as waiting");
      assertTrue(waiting.matches(" +kmeans-C=4 +running +training waiting \\d+s: no worker polls cedm-gpu-x2; it needs a "
          + "worker with at least 2 devices: --gpus with 2 CUDA ids or cpu:2"), waiting);
      assertFalse(Files.exists(store.resolve("training")), "no training ran");
      local.sweeps().cancel(sweep);
    }
  }
}
