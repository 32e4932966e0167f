package cedm.workflow;

import cedm.spec.ExperimentSpec;
import cedm.spec.SpecLoader;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.client.WorkflowOptions;
import io.temporal.common.WorkflowExecutionHistory;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Records the event histories that {@link RecordedHistoriesTest} replays: the two demo specs'
 * sweeps on fake stages, the budget demo's C_max search, and trials of both (every stretch of a
 * point that ran to the end and of one that stopped). Run it when a deliberate change to workflow
 * code makes old histories obsolete (after the version gate or the migration that keeps running
 * sweeps working), and commit the files:
 * {@code mvn -o test -pl workflows -Dtest=HistoryRecorder -Dcedm.record-histories=true}. The
 * committed files were recorded by commit 0b5cfab, whose workflows still had four version gates
 * (getVersion markers are in the histories); today's code, without the gates, replays them.
 */
@EnabledIfSystemProperty(named = "cedm.record-histories", matches = "true")
class HistoryRecorder {
  static final Path DIR = Path.of("src", "test", "resources", "histories");

  @Test
  void recordTheDemoHistories() throws Exception {
    Files.createDirectories(DIR);
    record("demo-budget", "temi-C=5", "kmeans-C=7");
    record("demo", "temi-C=5", "unconditional");
  }

  private static void record(String name, String... trials) throws Exception {
    ExperimentSpec spec = SpecLoader.load(Path.of("..", "specs", name + ".yaml")).spec();
    try (TestWorkflowEnvironment env = TestWorkflowEnvironment.newInstance()) {
      FakeStages stages = new FakeStages(c -> c <= 8 ? 1.0 : 0.875);
      // Rung scores that order the points by C, with a spread over the sets.
      stages.snapshotFid = (trial, kimg, sets) -> {
        List<Double> fid = new ArrayList<>();
        for (int i = 0; i < sets; i++) {
          fid.add(60 - kimg * 10 + (trial.length() % 5) + 0.1 * i + (trial.startsWith("kmeans-C=7") ? 5 : 0));
        }
        return fid;
      };
      String sweepId = name + "-recorded";
      stages.serve(env, spec, sweepId).run(new SweepRequest(sweepId, spec));
      WorkflowExecutionHistory sweep = env.getWorkflowClient().fetchHistory(sweepId);
      Files.writeString(DIR.resolve("sweep-" + name + ".json"), sweep.toJson(true));
      Map<String, List<String>> runs = childRuns(sweep);
      if (runs.containsKey(sweepId + "/cmax")) {
        Files.writeString(DIR.resolve("cmax-" + name + ".json"),
            env.getWorkflowClient().fetchHistory(sweepId + "/cmax").toJson(true));
      }
      for (String trial : trials) {
        List<String> ids = runs.getOrDefault(sweepId + "/" + trial, List.of());
        for (int i = 0; i < ids.size(); i++) {
          Files.writeString(DIR.resolve("trial-" + name + "-" + trial + "-" + (i + 1) + ".json"),
              env.getWorkflowClient().fetchHistory(sweepId + "/" + trial, ids.get(i)).toJson(true));
        }
      }
    }
  }

  /** Run ids of every child workflow the sweep started, by workflow id, in the order they started. */
  private static Map<String, List<String>> childRuns(WorkflowExecutionHistory sweep) {
    Map<String, List<String>> runs = new LinkedHashMap<>();
    for (HistoryEvent e : sweep.getEvents()) {
      if (e.getEventType() == EventType.EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_STARTED) {
        var execution = e.getChildWorkflowExecutionStartedEventAttributes().getWorkflowExecution();
        runs.computeIfAbsent(execution.getWorkflowId(), k -> new ArrayList<>()).add(execution.getRunId());
      }
    }
    runs.replaceAll((k, v) -> Collections.unmodifiableList(v));
    return runs;
  }
}
