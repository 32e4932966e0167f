package cedm.cli;

import cedm.report.SweepReport;
import cedm.runtime.SweepRecords;
import cedm.spec.ExperimentSpec;
import cedm.store.ArtifactStore;
import cedm.workflow.SweepStatus;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "report", description = "Write a sweep's report (Markdown, HTML, PNG figures) from its artifacts. "
    + "A finished sweep needs no server; a running one is reported as far as it got.")
final class ReportCommand extends SweepCommand implements Callable<Integer> {
  static final SweepReport.Options DEFAULTS = new SweepReport.Options(4, 8);

  @Option(names = "--out", paramLabel = "DIR", description = "Where to write it (default: STORE/sweeps/SWEEP/report).")
  Path out;

  @Option(names = "--samples", defaultValue = "8", paramLabel = "N",
      description = "Generated samples per cluster in the sample grid; 0 for none (default ${DEFAULT-VALUE}).")
  int samples;

  @Option(names = "--clusters", defaultValue = "4", paramLabel = "K",
      description = "Clusters (rows) in the sample grid, the largest first (default ${DEFAULT-VALUE}).")
  int clusters;

  @Override
  public Integer call() throws Exception {
    if (samples < 0 || clusters < 1) {
      throw new UserError("--samples must be >= 0 and --clusters >= 1 (given " + samples + " and " + clusters + ")", 2);
    }
    ArtifactStore artifacts = store.open();
    SweepRecords records = new SweepRecords(artifacts);
    ExperimentSpec spec;
    try {
      spec = records.load(sweepId);
    } catch (SweepRecords.NoSuchSweepException e) {
      throw new UserError(e.getMessage(), 2);
    }
    SweepStatus status = records.finalStatus(sweepId).orElse(null);
    if (status == null) {
      try (Connected c = connect()) {
        if (c.sweeps.state(sweepId).isEmpty()) {
          throw new UserError("sweep " + sweepId + " has no final status in " + artifacts.root()
              + " and the server at " + connection.options().target() + " does not know it (`cedm resume " + sweepId + "`)", 1);
        }
        status = c.sweeps.status(sweepId);
      }
      if (status.finished()) {
        records.saveFinalStatus(status);
      }
    }
    Path html = SweepReport.write(status, spec, artifacts, out != null ? out : records.reportDir(sweepId),
        new SweepReport.Options(clusters, samples));
    out().println("cedm: report of sweep " + sweepId + " at " + html + " (" + SweepReport.MARKDOWN
        + " and the figures beside it)");
    return 0;
  }
}
