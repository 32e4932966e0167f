package cedm.cli;

import cedm.report.DeviceTime;
import cedm.report.HalvingCost;
import cedm.runtime.SweepRecords;
import cedm.store.ArtifactStore;
import cedm.workflow.SweepStatus;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/**
 * A sweep's status from its server; for a sweep that finished under a server that is gone (the
 * embedded one of `cedm run`), from the record the run left in the store.
 */
@Command(name = "status", description = "Show a sweep's stages, progress and results.")
final class StatusCommand extends SweepCommand implements Callable<Integer> {
  @Override
  public Integer call() throws Exception {
    ArtifactStore artifacts = store.open();
    Optional<SweepStatus> recorded = new SweepRecords(artifacts).finalStatus(sweepId);
    Connected c;
    try {
      c = new Connected(connection.options(), artifacts);
    } catch (UserError unreachable) {
      if (recorded.isEmpty()) {
        throw unreachable;
      }
      return printRecorded(recorded.get(), artifacts, "the server at " + connection.options().target() + " does not answer");
    }
    try (c) {
      Optional<WorkflowExecutionStatus> state = c.sweeps.state(sweepId);
      if (state.isEmpty()) {
        if (recorded.isPresent()) {
          return printRecorded(recorded.get(), artifacts, "the server at " + connection.options().target() + " does not know it");
        }
        throw new UserError("the server at " + connection.options().target() + " does not know sweep " + sweepId
            + " (an embedded server forgets sweeps when it restarts: `cedm resume " + sweepId + "`)", 1);
      }
      out().println("state: " + state.get().name().replace("WORKFLOW_EXECUTION_STATUS_", "").toLowerCase());
      SweepStatus status = c.sweeps.status(sweepId);
      StatusView.lines(status, c.sweeps.searchEvidence(sweepId), c.sweeps.running(sweepId)).forEach(out()::println);
      printDeviceTime(artifacts, status);
    }
    return 0;
  }

  private int printRecorded(SweepStatus status, ArtifactStore artifacts, String why) throws java.io.IOException {
    out().println("state: finished (" + why + "; this is the record its run left in the store)");
    StatusView.lines(status, List.of(), List.of()).forEach(out()::println);
    printDeviceTime(artifacts, status);
    return 0;
  }

  /** The ledger's device time and, under successive halving, what the full grid would have cost. */
  private void printDeviceTime(ArtifactStore artifacts, SweepStatus status) throws java.io.IOException {
    DeviceTime time = DeviceTime.of(artifacts.ledger().entries(sweepId));
    StatusView.deviceTime(time).forEach(out()::println);
    HalvingCost cost = HalvingCost.of(status, time);
    if (cost != null) {
      out().println("  " + cost.describe());
    }
  }
}
