package cedm.workflow;

import cedm.spec.ExperimentSpec;
import cedm.stage.DatasetActivities;
import cedm.stage.DatasetArtifact;
import cedm.stage.DatasetRequest;
import cedm.stage.FeatureActivities;
import cedm.stage.FeaturesArtifact;
import cedm.stage.FeaturesRequest;
import cedm.stage.KnnActivities;
import cedm.stage.KnnArtifact;
import cedm.stage.KnnRequest;
import cedm.stage.RunLabels;
import io.temporal.api.enums.v1.WorkflowIdReusePolicy;
import io.temporal.failure.ChildWorkflowFailure;
import io.temporal.workflow.ChildWorkflowOptions;
import io.temporal.workflow.Promise;
import io.temporal.workflow.Workflow;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The sweep, in the paper's order (Sec. 3): dataset, features, neighbours, the C_max search, then
 * one trial per grid point, {@code runtime.parallel_trials} at a time. Every stage returns an
 * artifact id and the store memoises them, so a re-submitted or resumed sweep skips finished work.
 */
public final class SweepWorkflowImpl implements SweepWorkflow {
  /** Well below Temporal's 51,200-event limit, with room for the trials still running. */
  public static final int DEFAULT_HISTORY_LIMIT = 10_000;

  /** Events after which the sweep continues as new between trials. */
  private final int historyLimit;
  private String sweepId;
  private ExperimentSpec spec;
  private StageReports stages;
  private GridSchedule grid;
  private CmaxResult cmax;
  /** Points signalled before the run method has read the spec (signals can arrive first). */
  private final List<Integer> early = new ArrayList<>();

  public SweepWorkflowImpl() {
    this(DEFAULT_HISTORY_LIMIT);
  }

  public SweepWorkflowImpl(int historyLimit) {
    this.historyLimit = historyLimit;
  }

  @Override
  public SweepResult run(SweepRequest request) {
    sweepId = request.sweepId();
    spec = request.spec();
    SweepCarry carry = request.carry();
    if (carry != null) {
      stages = new StageReports(spec.runtime(), carry.stages());
      grid = GridSchedule.resumed(spec.grid(), carry);
      cmax = carry.cmax();
      joinEarlyPoints();
      runGrid(carry.dataset(), carry.features(), carry.knn());
      return result(carry.dataset(), carry.features(), carry.knn());
    }
    stages = new StageReports(spec.runtime(), List.of());
    grid = new GridSchedule(spec.grid());
    joinEarlyPoints();
    List.of(SweepPhase.DATASET, SweepPhase.FEATURES, SweepPhase.KNN).forEach(stages::pending);
    RunLabels labels = RunLabels.sweep(sweepId);
    DatasetArtifact dataset = stages.run(SweepPhase.DATASET, () -> stub(DatasetActivities.class)
        .importDataset(new DatasetRequest(spec.dataset(), spec.seed(), labels)));
    FeaturesArtifact features = stages.run(SweepPhase.FEATURES, () -> stub(FeatureActivities.class)
        .extractFeatures(new FeaturesRequest(dataset.artifactId(), spec.features(), spec.seed(), labels)));
    KnnArtifact knn = stages.run(SweepPhase.KNN, () -> stub(KnnActivities.class)
        .mineNeighbours(new KnnRequest(features.artifactId(), spec.features().knn(), labels)));
    if (spec.search().enabled()) {
      cmax = search(features, knn);
    }
    GridPlanner.plan(spec.grid(), cmax == null ? null : cmax.cMax(), dataset.labelled() ? dataset.classes() : 0)
        .forEach(grid::add);
    runGrid(dataset, features, knn);
    return result(dataset, features, knn);
  }

  private <T> T stub(Class<T> stage) {
    return Workflow.newActivityStub(stage, StageOptions.of(stage, spec.runtime()));
  }

  private SweepResult result(DatasetArtifact dataset, FeaturesArtifact features, KnnArtifact knn) {
    stages.enter(SweepPhase.DONE);
    return new SweepResult(sweepId, stages.all(), dataset, features, knn, cmax, grid.trials(), grid.decisions());
  }

  /** Points signalled before this run read its request; after the carried ones, so none is queued twice. */
  private void joinEarlyPoints() {
    grid.addClusters(List.copyOf(early));
    early.clear();
  }

  @Override
  public SweepStatus status() {
    return new SweepStatus(sweepId, stages == null ? SweepPhase.STARTING : stages.phase(),
        stages == null ? List.of() : stages.all(), cmax == null ? null : cmax.cMax(),
        cmax == null ? List.of() : cmax.evidence(), grid == null ? List.of() : grid.trials(),
        grid == null ? List.of() : grid.decisions());
  }

  @Override
  public void addPoints(List<Integer> clusters) {
    if (grid == null) {
      early.addAll(clusters);
    } else {
      grid.addClusters(clusters);
    }
  }

  /** The C_max search as a child workflow, started again while a killed run's search still holds its id. */
  private CmaxResult search(FeaturesArtifact features, KnnArtifact knn) {
    long started = stages.running(SweepPhase.SEARCH);
    String childId = sweepId + "/cmax";
    for (int attempt = 1; ; attempt++) {
      CmaxSearchWorkflow child = Workflow.newChildWorkflowStub(CmaxSearchWorkflow.class, ChildWorkflowOptions.newBuilder()
          .setWorkflowId(childId)
          .setTaskQueue(spec.runtime().cpuQueue())
          .setWorkflowIdReusePolicy(WorkflowIdReusePolicy.WORKFLOW_ID_REUSE_POLICY_ALLOW_DUPLICATE)
          .build());
      try {
        CmaxResult result = child.search(new CmaxRequest(sweepId, features.artifactId(), knn.artifactId(),
            spec.clustering(), spec.search(), spec.seed(), spec.runtime()));
        stages.done(SweepPhase.SEARCH, started, result.evidence().stream().allMatch(Probe::reused),
            "C_max = " + result.cMax() + " after " + result.evidence().size() + " probes");
        return result;
      } catch (ChildWorkflowFailure failure) {
        if (EarlierRun.retries(failure, attempt)) {
          Workflow.sleep(EarlierRun.WAIT);
          continue;
        }
        throw stages.failed(SweepPhase.SEARCH, started,
            EarlierRun.holds(failure) ? EarlierRun.cause(childId) : FailureCause.of(failure, spec.runtime()));
      }
    }
  }

  /**
   * Runs the queued trials, a bounded number at once, until none is left. A point that reaches a
   * rung waits there; the schedule decides the rung once every point of its method has arrived.
   * A long history continues as new between trials.
   */
  private void runGrid(DatasetArtifact dataset, FeaturesArtifact features, KnnArtifact knn) {
    stages.enter(SweepPhase.GRID);
    TrialStarter trials = new TrialStarter(sweepId, spec, dataset, features, knn);
    Map<String, Promise<TrialResult>> running = new LinkedHashMap<>();
    int parallel = spec.runtime().parallelTrials();
    while (true) {
      boolean draining = Workflow.getInfo().getHistoryLength() > historyLimit;
      while (!draining && running.size() < parallel && grid.hasQueued()) {
        GridPoint point = grid.start();
        running.put(point.id(), trials.start(point, grid.stretchFrom(point), grid.stretchUntil(point)));
      }
      if (running.isEmpty()) {
        if (draining && grid.hasQueued()) {
          Workflow.continueAsNew(new SweepRequest(sweepId, spec, new SweepCarry(stages.all(), dataset, features, knn,
              cmax, grid.trials(), grid.stretches(), grid.decisions())));
        }
        return;
      }
      Workflow.await(() -> running.values().stream().anyMatch(Promise::isCompleted)
          || (!draining && running.size() < parallel && grid.hasQueued()));
      List<String> finished = running.entrySet().stream().filter(e -> e.getValue().isCompleted())
          .map(Map.Entry::getKey).toList();
      for (String id : finished) {
        finish(id, running.remove(id));
      }
    }
  }

  /** A stretch of a trial ended: the point is done, failed, or waits at a rung for its decision. */
  private void finish(String pointId, Promise<TrialResult> stretch) {
    try {
      grid.finished(pointId, stretch.get());
    } catch (ChildWorkflowFailure failure) {
      GridPoint point = grid.trial(pointId).point();
      grid.failed(pointId, EarlierRun.holds(failure)
          ? EarlierRun.cause(TrialWorkflow.workflowId(sweepId, point)) : FailureCause.of(failure, spec.runtime()));
    }
  }
}
