package cedm.cli;

import cedm.runtime.SweepClient;
import cedm.runtime.SweepRecords;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

@Command(name = "resume", description = "Start a failed, cancelled or forgotten sweep again; finished stages are reused.")
final class ResumeCommand extends SweepCommand implements Callable<Integer> {
  @Override
  public Integer call() throws Exception {
    try (Connected c = connect()) {
      SweepClient.Submission s;
      try {
        s = c.sweeps.resume(sweepId);
      } catch (SweepRecords.NoSuchSweepException e) {
        throw new UserError(e.getMessage(), 1);
      }
      out().println((s.attached() ? "already running: " : "resumed sweep ") + s.sweepId());
    }
    return 0;
  }
}
