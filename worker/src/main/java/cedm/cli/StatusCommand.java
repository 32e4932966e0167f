package cedm.cli;

import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(name = "status", description = "Show a sweep's stages, progress and results.")
final class StatusCommand extends Output implements Callable<Integer> {
  @Mixin ConnectionMixin connection;
  @Mixin StoreOptions store;

  @Parameters(paramLabel = "SWEEP", description = "Sweep id, as printed by submit.")
  String sweepId;

  @Override
  public Integer call() throws Exception {
    try (Connected c = new Connected(connection.options(), store.open())) {
      WorkflowExecutionStatus state = c.sweeps.state(sweepId).orElseThrow(() -> new UserError(
          "the server at " + connection.target + " does not know sweep " + sweepId
              + " (an embedded server forgets sweeps when it restarts: `cedm resume " + sweepId + "`)", 1));
      out().println("state: " + state.name().replace("WORKFLOW_EXECUTION_STATUS_", "").toLowerCase());
      StatusView.lines(c.sweeps.status(sweepId), c.sweeps.searchEvidence(sweepId), c.sweeps.running(sweepId)).forEach(out()::println);
    }
    return 0;
  }
}
