package cedm.cli;

import cedm.report.SweepReport;
import cedm.runtime.CedmWorker;
import cedm.runtime.ConnectionOptions;
import cedm.runtime.EmbeddedTemporal;
import cedm.runtime.GpuList;
import cedm.runtime.MetricsEndpoint;
import cedm.runtime.SweepClient;
import cedm.runtime.SweepRecords;
import cedm.runtime.WorkerConfig;
import cedm.spec.LoadedSpec;
import cedm.spec.RuntimeSpec;
import cedm.spec.SpecLoader;
import cedm.stage.FailureMessage;
import cedm.store.ArtifactStore;
import cedm.workflow.Probe;
import cedm.workflow.RungDecision;
import cedm.workflow.StageReport;
import cedm.workflow.StageState;
import cedm.workflow.SweepResult;
import cedm.workflow.SweepStatus;
import cedm.workflow.TrialResult;
import cedm.workflow.TrialState;
import io.temporal.client.WorkflowFailedException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "run", description = "Run a sweep in this process: embedded Temporal server on 127.0.0.1, a worker, "
    + "live progress, results. Interrupt and run again to continue from the finished stages.")
final class RunCommand extends Output implements Callable<Integer> {
  @Mixin StoreOptions store;
  @Mixin MetricsOption metrics;

  @Parameters(paramLabel = "SPEC")
  Path spec;

  @Option(names = "--port", defaultValue = "0", description = "Port of the embedded server on 127.0.0.1 (default: any free port).")
  int port;

  @Option(names = "--cpu-slots", description = "CPU stages run at once (default: number of cores).")
  Integer cpuSlots;

  @Mixin GpusOption gpus;

  @Option(names = "--verbose", description = "Print the worker's log lines here too (by default they go to the "
      + "sweep's run.log in the store, and this output shows progress only).")
  boolean verbose;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = out();
    LoadedSpec loaded = SpecLoader.load(spec);
    int slots = cpuSlots != null ? cpuSlots : Runtime.getRuntime().availableProcessors();
    GpuList devices = gpus.list();
    requireDevicesFor(loaded.spec().runtime(), devices);
    WorkerConfig config = devices.worker(loaded.spec().runtime().cpuQueue(), loaded.spec().runtime().gpuQueue(), slots);
    ArtifactStore artifacts = store.open();
    Path logFile = new SweepRecords(artifacts).runLog(loaded.sweepId());
    try (RunLog log = verbose ? null : RunLog.to(logFile);
        MetricsEndpoint endpoint = metrics.start(err());
        EmbeddedTemporal server = EmbeddedTemporal.start(port);
        Connected c = new Connected(ConnectionOptions.plain(server.target(), "default"), artifacts);
        CedmWorker worker = new CedmWorker(c.client, c.store, config).start()) {
      out.println("cedm: running " + spec + " as sweep " + loaded.sweepId());
      out.println("cedm: devices " + devices.text() + ", store " + c.store.root() + ", embedded Temporal on " + server.target()
          + (endpoint == null ? "" : ", metrics at " + endpoint.url()));
      if (log != null) {
        out.println("cedm: worker log in " + logFile + " (--verbose prints it here)");
      }
      SweepClient.Submission submission = c.sweeps.submit(loaded);
      watch(out, c.sweeps, submission.sweepId());
      try {
        SweepResult result = c.sweeps.result(submission.sweepId());
        printResult(out, result, c);
        report(out, c, loaded, result);
        long failed = result.trials().stream().filter(t -> t.state() == TrialState.FAILED).count();
        if (failed > 0 && failed == result.trials().size()) {
          out.println("cedm: every grid point failed (" + failed + "; causes above); finished stages are kept: "
              + "fix the cause and run again");
          return 1;
        }
        return 0;
      } catch (WorkflowFailedException e) {
        out.println("cedm: sweep " + submission.sweepId() + " failed: " + FailureMessage.of(e));
        recordFailure(c, submission.sweepId());
        out.println("cedm: finished stages are kept; fix the cause and run again");
        return 1;
      }
    }
  }

  /**
   * The embedded worker is the only one: a stage it cannot take would wait for ever, so the run
   * does not start (exit 2, before anything is submitted) when its devices cannot hold a training.
   */
  private void requireDevicesFor(RuntimeSpec runtime, GpuList devices) {
    if (devices.slots() == 0) {
      throw new UserError("--gpus none: cedm run's own worker runs the GPU stages and needs a device (allowed: "
          + "e.g. 0,1 or cpu or cpu:2)", 2);
    }
    if (runtime.gpusPerTrial() > devices.slots()) {
      throw new UserError(spec + ": runtime.gpus_per_trial is " + runtime.gpusPerTrial() + ", but --gpus "
          + devices.text() + " gives this run " + devices.slots() + " device(s), so no worker would take the trainings; "
          + "give --gpus " + runtime.gpusPerTrial() + " devices (CUDA ids, or cpu:" + runtime.gpusPerTrial()
          + ") or set runtime.gpus_per_trial: " + devices.slots(), 2);
    }
  }

  /** Into a file (a run of days under nohup), a running stage's progress line comes this often. */
  static final Duration LOG_PROGRESS_EVERY = Duration.ofMinutes(1);

  /**
   * Prints each stage as it starts and ends, every failed attempt once, and the running stages'
   * progress: on a terminal a bar that redraws itself, into a file a line per stage at most every
   * {@link #LOG_PROGRESS_EVERY}.
   */
  private static void watch(PrintWriter out, SweepClient sweeps, String sweepId) throws InterruptedException {
    boolean terminal = System.console() != null;
    Map<String, String> shown = new HashMap<>();
    Set<String> failures = new HashSet<>();
    Map<String, Instant> logged = new HashMap<>();
    String bar = "";
    while (true) {
      boolean running = sweeps.isRunning(sweepId);
      SweepStatus status = sweeps.status(sweepId);
      List<SweepClient.RunningStage> active = running ? sweeps.running(sweepId) : List.of();
      List<String> news = new ArrayList<>();
      List<Probe> probes = status.evidence().isEmpty() && running ? sweeps.searchEvidence(sweepId) : status.evidence();
      for (Probe p : probes) {
        String line = String.format(java.util.Locale.ROOT, "  search       C=%d: r_C %.3f (%d used)%s", p.clusters(),
            p.utilisation(), p.used(), p.reused() ? ", reused" : "");
        if (shown.putIfAbsent("probe " + p.clusters(), line) == null) {
          news.add(line);
        }
      }
      for (StageReport stage : status.stages()) {
        String line = StatusView.line(stage, List.of());
        if (!line.equals(shown.get(stage.stage())) && stage.state() != StageState.PENDING) {
          news.add(line);
          shown.put(stage.stage(), line);
        }
      }
      for (RungDecision d : status.rungs()) {
        if (shown.putIfAbsent("rung " + d.rung() + " " + d.method(), "") == null) {
          news.addAll(StatusView.rung(d).stream().map(l -> "  " + l).toList());
        }
      }
      for (TrialResult t : status.trials()) {
        if (t.state().ended()) {
          String line = "  trial        " + t.point().id() + " " + t.state().name().toLowerCase(java.util.Locale.ROOT)
              + ": " + t.note();
          if (shown.putIfAbsent("trial " + t.point().id(), line) == null) {
            news.add(line);
          }
        }
      }
      for (SweepClient.RunningStage r : active) {
        if (r.lastFailure() != null && failures.add(r.workflowId() + "/" + r.activityType() + "#" + r.attempt())) {
          news.add("  " + r.label() + ": attempt " + (r.attempt() - 1) + (r.maxAttempts() > 0 ? " of " + r.maxAttempts() : "")
              + " failed (" + r.lastFailure() + "); retrying");
        }
      }
      if (!news.isEmpty()) {
        if (!bar.isEmpty()) {
          out.print("\r" + " ".repeat(bar.length()) + "\r");
          bar = "";
        }
        news.forEach(out::println);
        out.flush();
      }
      if (!running) {
        break;
      }
      if (!terminal) {
        Instant now = Instant.now();
        for (SweepClient.RunningStage r : active) {
          Instant last = logged.get(r.label());
          if (r.progress() != null && (last == null || !now.isBefore(last.plus(LOG_PROGRESS_EVERY)))) {
            out.println("  " + r.label() + " " + StatusView.bar(r.progress()));
            out.flush();
            logged.put(r.label(), now);
          }
        }
      } else {
        StringBuilder now = new StringBuilder();
        for (SweepClient.RunningStage r : active) {
          if (r.progress() != null) {
            now.append("  ").append(r.label()).append(' ').append(StatusView.bar(r.progress()));
          }
        }
        if (now.length() > 0) {
          out.print("\r" + now + " ".repeat(Math.max(0, bar.length() - now.length())));
          out.flush();
          bar = now.toString();
        }
      }
      Thread.sleep(500);
    }
    if (!bar.isEmpty()) {
      out.println();
    }
  }

  private static void printResult(PrintWriter out, SweepResult result, Connected c) {
    boolean allReused = result.stages().stream().allMatch(StageReport::reused)
        && result.trials().stream().allMatch(t -> (t.clustering() == null || t.clustering().reused())
            && (t.training() == null || t.training().reused())
            && (t.evaluation() == null || t.evaluation().reused()));
    out.println("cedm: sweep " + result.sweepId() + " finished"
        + (allReused ? "; every stage was reused from the store, nothing was recomputed" : ""));
    if (result.cmax() != null) {
      StatusView.evidence(result.cmax().evidence(), result.cmax().cMax()).forEach(out::println);
    }
    if (!result.trials().isEmpty()) {
      StatusView.trials(result.sweepId(), result.trials(), List.of()).forEach(out::println);
      StatusView.scores(result.trials()).forEach(out::println);
    }
    out.println("artifacts:");
    for (StageReport stage : result.stages()) {
      if (stage.artifactId() != null) {
        out.println(artifactLine(c, stage.stage(), stage.artifactId(), stage.reused()));
      }
    }
    for (TrialResult trial : result.trials()) {
      if (trial.clustering() != null) {
        out.println(artifactLine(c, "clustering", trial.clustering().artifactId(), trial.clustering().reused()));
      }
      if (trial.training() != null) {
        out.println(artifactLine(c, "training", trial.training().artifactId(), trial.training().reused()));
      }
      if (trial.evaluation() != null) {
        out.println(artifactLine(c, "evaluation", trial.evaluation().artifactId(), trial.evaluation().reused()));
      }
    }
  }

  /** The finished sweep's report; the sweep's results stand even when it cannot be written. */
  private void report(PrintWriter out, Connected c, LoadedSpec loaded, SweepResult result) {
    try {
      SweepRecords records = new SweepRecords(c.store);
      SweepStatus status = SweepClient.finished(result);
      records.saveFinalStatus(status);
      Path html = SweepReport.write(status, loaded.spec(), c.store, records.reportDir(result.sweepId()),
          ReportCommand.DEFAULTS);
      out.println("cedm: report at " + html);
    } catch (java.io.IOException | RuntimeException e) {
      err().println("cedm: the report could not be written (" + e + "); `cedm report " + result.sweepId()
          + "` tries again");
    }
  }

  /** Keeps the failed sweep's last status, so `cedm status` shows where it stopped after this server is gone. */
  private void recordFailure(Connected c, String sweepId) {
    try {
      new SweepRecords(c.store).saveFinalStatus(c.sweeps.status(sweepId));
    } catch (java.io.IOException | RuntimeException e) {
      err().println("cedm: the sweep's final status could not be kept (" + e.getMessage() + ")");
    }
  }

  private static String artifactLine(Connected c, String stage, String id, boolean reused) {
    return "  " + stage + "/" + id + (reused ? "  (reused)" : "  (computed)") + "  "
        + c.store.artifactDir(stage, id);
  }

}
