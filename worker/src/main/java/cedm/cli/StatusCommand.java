package cedm.cli;

import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

@Command(name = "status", description = "Show a sweep's stages, progress and results.")
final class StatusCommand extends SweepCommand implements Callable<Integer> {
  @Override
  public Integer call() throws Exception {
    try (Connected c = connect()) {
      WorkflowExecutionStatus state = c.sweeps.state(sweepId).orElseThrow(() -> new UserError(
          "the server at " + connection.target + " does not know sweep " + sweepId
              + " (an embedded server forgets sweeps when it restarts: `cedm resume " + sweepId + "`)", 1));
      out().println("state: " + state.name().replace("WORKFLOW_EXECUTION_STATUS_", "").toLowerCase());
      StatusView.lines(c.sweeps.status(sweepId), c.sweeps.searchEvidence(sweepId), c.sweeps.running(sweepId)).forEach(out()::println);
    }
    return 0;
  }
}
