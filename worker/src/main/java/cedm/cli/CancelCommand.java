package cedm.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

@Command(name = "cancel", description = "Cancel a running sweep; finished stages stay in the store for `cedm resume`.")
final class CancelCommand extends SweepCommand implements Callable<Integer> {
  @Override
  public Integer call() throws Exception {
    try (Connected c = connect()) {
      if (!c.sweeps.isRunning(sweepId)) {
        throw new UserError("sweep " + sweepId + " is not running", 1);
      }
      c.sweeps.cancel(sweepId);
      out().println("cancellation requested for " + sweepId);
    }
    return 0;
  }
}
