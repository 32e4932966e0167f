package cedm.cli;

import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "add-points", description = "Add grid points (C values) to a running sweep; only the new ones run, "
    + "once per clustering method of the spec's grid.")
final class AddPointsCommand extends SweepCommand implements Callable<Integer> {
  @Parameters(index = "1..*", arity = "1..*", paramLabel = "C", description = "Numbers of clusters, each >= 2.")
  List<Integer> clusters;

  @Override
  public Integer call() throws Exception {
    for (int c : clusters) {
      if (c < 2) {
        throw new UserError("C = " + c + " is not a grid point (allowed: integers >= 2)", 2);
      }
    }
    try (Connected c = connect()) {
      if (!c.sweeps.addPoints(sweepId, clusters)) {
        throw new UserError("sweep " + sweepId + " is not running; add the points to grid.points in its spec and "
            + "submit it again (finished work is reused)", 1);
      }
      out().println("added C = " + clusters + " to " + sweepId + "; points it already has are not run again");
    }
    return 0;
  }
}
