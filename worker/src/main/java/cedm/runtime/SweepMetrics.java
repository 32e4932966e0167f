package cedm.runtime;

import cedm.metrics.Gauges;
import cedm.spec.ExperimentSpec;
import cedm.store.ArtifactStore;
import cedm.workflow.GridPoint;
import cedm.workflow.StageReport;
import cedm.workflow.StageState;
import cedm.workflow.SweepStatus;
import cedm.workflow.TrialResult;
import cedm.workflow.TrialState;
import io.micrometer.core.instrument.Tags;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The state of every sweep submitted with this store, as gauges: its workflow's status (stages,
 * C_max, trials) is read by query, or from the result once it ended. Being read rather than pushed
 * from workflow code, the figures are back as soon as a restarted worker polls again, and a
 * replayed workflow cannot report twice.
 */
public final class SweepMetrics implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(SweepMetrics.class);
  private final SweepClient sweeps;
  private final SweepRecords records;
  private final Path sweepsDir;
  /** Ended sweeps do not change: read once per process. */
  private final Map<String, Boolean> ended = new ConcurrentHashMap<>();
  private ScheduledExecutorService timer;

  public SweepMetrics(SweepClient sweeps, SweepRecords records, ArtifactStore store) {
    this.sweeps = sweeps;
    this.records = records;
    this.sweepsDir = store.sweepsDir();
  }

  /** Refreshes every {@code period} on a daemon thread until closed. */
  public SweepMetrics start(Duration period) {
    timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "cedm-sweep-metrics");
      t.setDaemon(true);
      return t;
    });
    timer.scheduleWithFixedDelay(this::refreshQuietly, 0, period.toMillis(), TimeUnit.MILLISECONDS);
    return this;
  }

  private void refreshQuietly() {
    try {
      refresh();
    } catch (RuntimeException e) {
      log.warn("sweep metrics: {}", e.toString());
    }
  }

  /** One pass over the store's sweeps. */
  public void refresh() {
    if (!Files.isDirectory(sweepsDir)) {
      return;
    }
    List<String> ids;
    try (Stream<Path> dirs = Files.list(sweepsDir)) {
      ids = dirs.filter(Files::isDirectory).map(d -> d.getFileName().toString()).sorted().toList();
    } catch (IOException e) {
      log.warn("sweep metrics: cannot list {}: {}", sweepsDir, e.toString());
      return;
    }
    for (String id : ids) {
      if (!ended.containsKey(id)) {
        refresh(id);
      }
    }
  }

  private void refresh(String id) {
    Optional<WorkflowExecutionStatus> state = sweeps.state(id);
    if (state.isEmpty()) {
      return;
    }
    boolean running = state.get() == WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING;
    Tags sweep = Tags.of("sweep", id);
    for (WorkflowExecutionStatus s : WorkflowExecutionStatus.values()) {
      if (s != WorkflowExecutionStatus.UNRECOGNIZED && s != WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_UNSPECIFIED) {
        Gauges.set("cedm.sweep.state", "1 for the sweep's current state", sweep.and("state", stateName(s)),
            s == state.get() ? 1 : 0);
      }
    }
    SweepStatus status = sweeps.status(id, state.get());
    for (StageReport stage : status.stages()) {
      for (StageState s : StageState.values()) {
        Gauges.set("cedm.sweep.stage.state", "1 for each sweep-level stage's current state",
            sweep.and("stage", stage.stage(), "state", lower(s)), s == stage.state() ? 1 : 0);
      }
    }
    if (status.cMax() != null) {
      Gauges.set("cedm.sweep.cmax", "C_max found by the search", sweep, status.cMax());
    }
    alpha(id).ifPresent(a -> Gauges.set("cedm.sweep.alpha", "The search's utilisation threshold alpha", sweep, a));
    for (TrialState s : TrialState.values()) {
      Gauges.set("cedm.sweep.trials", "Grid points per state", sweep.and("state", lower(s)),
          status.trials().stream().filter(t -> t.state() == s).count());
    }
    for (TrialResult t : status.trials()) {
      String c = t.point().kind() == GridPoint.Kind.CLUSTERS ? Integer.toString(t.point().clusters()) : "";
      for (TrialState s : TrialState.values()) {
        Gauges.set("cedm.sweep.trial.state", "1 for each grid point's current state",
            sweep.and("trial", t.point().id(), "c", c, "state", lower(s)), s == t.state() ? 1 : 0);
      }
    }
    if (!running) {
      ended.put(id, true);
    }
  }

  private Optional<Double> alpha(String id) {
    try {
      ExperimentSpec spec = records.load(id);
      return spec.search().enabled() ? Optional.of(spec.search().alpha()) : Optional.empty();
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  private static String stateName(WorkflowExecutionStatus s) {
    return s.name().substring("WORKFLOW_EXECUTION_STATUS_".length()).toLowerCase(Locale.ROOT);
  }

  private static String lower(Enum<?> e) {
    return e.name().toLowerCase(Locale.ROOT);
  }

  @Override
  public void close() {
    if (timer != null) {
      timer.shutdownNow();
    }
  }
}
