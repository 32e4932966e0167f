package cedm.cli;

import cedm.runtime.SweepClient;
import cedm.spec.LoadedSpec;
import cedm.spec.SpecLoader;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(name = "submit", description = "Start the sweep of a spec; the same spec again attaches to the running sweep. "
    + "Warns about each queue the sweep needs that no worker polls.")
final class SubmitCommand extends Output implements Callable<Integer> {
  @Mixin ConnectionMixin connection;
  @Mixin StoreOptions store;

  @Parameters(paramLabel = "SPEC")
  Path spec;

  @Override
  public Integer call() throws Exception {
    LoadedSpec loaded = SpecLoader.load(spec);
    try (Connected c = new Connected(connection.options(), store.open())) {
      SweepClient.Submission s = c.sweeps.submit(loaded);
      out().println((s.attached() ? "attached to the running sweep " : "submitted sweep ") + s.sweepId());
      out().println("watch it with: cedm status " + s.sweepId());
      c.sweeps.unpolled(loaded.spec().runtime()).ifPresent(queues -> queues.forEach(need -> err().println(
          "cedm: warning: no worker polls " + need.queue() + " (" + need.work() + "): those stages wait until "
              + need.workerNeeds() + " starts")));
    }
    return 0;
  }
}
