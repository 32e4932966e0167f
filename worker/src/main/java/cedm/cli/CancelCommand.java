package cedm.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(name = "cancel", description = "Cancel a running sweep; finished stages stay in the store for `cedm resume`.")
final class CancelCommand extends Output implements Callable<Integer> {
  @Mixin ConnectionMixin connection;
  @Mixin StoreOptions store;

  @Parameters(paramLabel = "SWEEP")
  String sweepId;

  @Override
  public Integer call() throws Exception {
    try (Connected c = new Connected(connection.options(), store.open())) {
      if (!c.sweeps.isRunning(sweepId)) {
        throw new UserError("sweep " + sweepId + " is not running", 1);
      }
      c.sweeps.cancel(sweepId);
      out().println("cancellation requested for " + sweepId);
    }
    return 0;
  }
}
