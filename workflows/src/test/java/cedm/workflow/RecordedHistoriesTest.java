package cedm.workflow;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cedm.stage.KnnActivities;
import cedm.stage.KnnRequest;
import cedm.stage.RunLabels;
import io.temporal.common.WorkflowExecutionHistory;
import io.temporal.testing.WorkflowReplayer;
import io.temporal.workflow.Workflow;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Replay safety across versions: the committed histories ({@link HistoryRecorder}) replay against
 * today's workflow code, so a change that would break the sweeps running on workers being
 * upgraded fails the build; and a workflow changed on purpose is rejected, so the check can fail.
 */
class RecordedHistoriesTest {
  static Stream<Path> histories() throws Exception {
    try (Stream<Path> files = Files.list(HistoryRecorder.DIR)) {
      return files.filter(p -> p.toString().endsWith(".json")).sorted().toList().stream();
    }
  }

  private static WorkflowExecutionHistory read(Path file) throws Exception {
    return WorkflowExecutionHistory.fromJson(Files.readString(file));
  }

  /** Which workflow a history belongs to, from the name {@link HistoryRecorder} gave it. */
  private static Class<?> workflowOf(Path file) {
    String name = file.getFileName().toString();
    return name.startsWith("sweep-") ? SweepWorkflowImpl.class
        : name.startsWith("cmax-") ? CmaxSearchWorkflowImpl.class : TrialWorkflowImpl.class;
  }

  @Test
  void thereAreHistoriesOfEveryWorkflowAndOfEveryStretchKind() throws Exception {
    List<String> names = histories().map(p -> p.getFileName().toString()).toList();
    assertTrue(names.contains("sweep-demo-budget.json") && names.contains("sweep-demo.json"), names.toString());
    assertTrue(names.contains("cmax-demo-budget.json"), names.toString());
    assertTrue(names.contains("trial-demo-budget-temi-C=5-3.json"), "a point's third stretch: " + names);
    assertTrue(names.contains("trial-demo-unconditional-1.json"), names.toString());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("histories")
  void replaysAgainstTodaysCode(Path file) throws Exception {
    WorkflowReplayer.replayWorkflowExecution(read(file), workflowOf(file));
  }

  /** A trial that mines neighbours before its own work: the recorded trials never did, so replay must fail. */
  public static final class TrialWithAnExtraStep implements TrialWorkflow {
    @Override
    public TrialResult run(TrialRequest request) {
      Workflow.newActivityStub(KnnActivities.class, StageOptions.of(KnnActivities.class, request.spec().runtime()))
          .mineNeighbours(new KnnRequest(request.featuresId(), 5, RunLabels.sweep(request.sweepId())));
      return new TrialWorkflowImpl().run(request);
    }
  }

  @Test
  void aTrialChangedOnPurposeIsRejected() throws Exception {
    Path trial = HistoryRecorder.DIR.resolve("trial-demo-budget-temi-C=5-3.json");
    assertFalse(histories().noneMatch(trial::equals));
    RuntimeException e = assertThrows(RuntimeException.class, () -> WorkflowReplayer.replayWorkflowExecution(read(trial),
        TrialWithAnExtraStep.class));
    Throwable t = e;
    assertTrue(e.getMessage().contains("NonDeterministicException") && e.getMessage().contains("clustering"),
        "rejected for scheduling another activity where the history has the clustering: " + e.getMessage());
  }
}
