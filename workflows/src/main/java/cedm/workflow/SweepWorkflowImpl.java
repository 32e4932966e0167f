package cedm.workflow;

import cedm.activity.DatasetActivities;
import cedm.activity.DatasetArtifact;
import cedm.activity.DatasetRequest;
import cedm.activity.FeatureActivities;
import cedm.activity.FeaturesArtifact;
import cedm.activity.FeaturesRequest;
import cedm.activity.KnnActivities;
import cedm.activity.KnnArtifact;
import cedm.activity.KnnRequest;
import cedm.activity.RunLabels;
import cedm.activity.StageOutput;
import cedm.spec.ClusteringMethod;
import cedm.spec.ExperimentSpec;
import io.temporal.api.enums.v1.WorkflowIdReusePolicy;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.ChildWorkflowFailure;
import io.temporal.workflow.Async;
import io.temporal.workflow.ChildWorkflowOptions;
import io.temporal.workflow.Promise;
import io.temporal.workflow.Workflow;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The sweep, in the paper's order (Sec. 3): dataset, features, neighbours, the C_max search, then
 * one trial per grid point, {@code runtime.parallel_trials} at a time. Every stage returns an
 * artifact id and the store memoises them, so a re-submitted or resumed sweep skips finished work.
 */
public final class SweepWorkflowImpl implements SweepWorkflow {
  static final String DATASET = "dataset";
  static final String FEATURES = "features";
  static final String KNN = "knn";
  static final String SEARCH = "search";
  /** Histories recorded before the search and grid existed replay without them. */
  static final String SEARCH_AND_GRID = "cmax-search-and-grid";

  private String sweepId;
  private ExperimentSpec spec;
  private String phase = "starting";
  private List<StageReport> stages = new ArrayList<>();
  private CmaxResult cmax;
  private final Map<String, TrialResult> trials = new LinkedHashMap<>();
  private final Deque<GridPoint> queue = new ArrayDeque<>();
  /** Points signalled before the run method has read the spec (signals can arrive first). */
  private final List<Integer> early = new ArrayList<>();

  @Override
  public SweepResult run(SweepRequest request) {
    sweepId = request.sweepId();
    spec = request.spec();
    addPoints(List.copyOf(early));
    early.clear();
    SweepCarry carry = request.carry();
    DatasetArtifact dataset;
    FeaturesArtifact embeddings;
    KnnArtifact neighbours;
    if (carry != null) {
      stages = new ArrayList<>(carry.stages());
      dataset = carry.dataset();
      embeddings = carry.features();
      neighbours = carry.knn();
      cmax = carry.cmax();
      carry.trials().forEach(t -> trials.put(t.point().id(), t));
      carry.trials().stream().filter(t -> t.state() == TrialState.PENDING).forEach(t -> queue.add(t.point()));
    } else {
      for (String stage : List.of(DATASET, FEATURES, KNN)) {
        stages.add(StageReport.pending(stage));
      }
      RunLabels labels = RunLabels.sweep(sweepId);
      DatasetActivities datasets = Workflow.newActivityStub(DatasetActivities.class, StageOptions.cpu(spec.runtime()));
      FeatureActivities features = Workflow.newActivityStub(FeatureActivities.class, StageOptions.gpu(spec.runtime()));
      KnnActivities knn = Workflow.newActivityStub(KnnActivities.class, StageOptions.cpu(spec.runtime()));
      dataset = stage(DATASET, () -> datasets.importDataset(new DatasetRequest(spec.dataset(), spec.seed(), labels)));
      FeaturesArtifact extracted = stage(FEATURES,
          () -> features.extractFeatures(new FeaturesRequest(dataset.artifactId(), spec.features(), spec.seed(), labels)));
      embeddings = extracted;
      neighbours = stage(KNN, () -> knn.mineNeighbours(new KnnRequest(extracted.artifactId(), spec.features().knn(), labels)));
    }

    int version = Workflow.getVersion(SEARCH_AND_GRID, Workflow.DEFAULT_VERSION, 1);
    if (version >= 1) {
      if (cmax == null && spec.search().enabled()) {
        cmax = search(embeddings, neighbours);
      }
      if (carry == null) {
        for (GridPoint point : GridPlanner.plan(spec.grid(), cmax == null ? null : cmax.cMax(),
            dataset.labelled() ? dataset.classes() : 0)) {
          enqueue(point);
        }
      }
      runGrid(request, dataset, embeddings, neighbours);
    }
    phase = "done";
    return new SweepResult(sweepId, List.copyOf(stages), dataset, embeddings, neighbours, cmax,
        List.copyOf(trials.values()));
  }

  @Override
  public SweepStatus status() {
    return new SweepStatus(sweepId, phase, List.copyOf(stages), cmax == null ? null : cmax.cMax(),
        cmax == null ? List.of() : cmax.evidence(), List.copyOf(trials.values()));
  }

  @Override
  public void addPoints(List<Integer> clusters) {
    if (spec == null) {
      early.addAll(clusters);
      return;
    }
    for (int c : clusters) {
      for (ClusteringMethod method : spec.grid().methods()) {
        enqueue(GridPoint.clusters(method, c));
      }
    }
  }

  private void enqueue(GridPoint point) {
    if (!trials.containsKey(point.id())) {
      trials.put(point.id(), new TrialResult(point, TrialState.PENDING, null, null, null, ""));
      queue.add(point);
    }
  }

  private CmaxResult search(FeaturesArtifact features, KnnArtifact knn) {
    phase = SEARCH;
    long started = Workflow.currentTimeMillis();
    update(new StageReport(SEARCH, StageState.RUNNING, null, false, 0, ""));
    CmaxSearchWorkflow child = Workflow.newChildWorkflowStub(CmaxSearchWorkflow.class, ChildWorkflowOptions.newBuilder()
        .setWorkflowId(sweepId + "/cmax")
        .setTaskQueue(spec.runtime().cpuQueue())
        .setWorkflowIdReusePolicy(WorkflowIdReusePolicy.WORKFLOW_ID_REUSE_POLICY_ALLOW_DUPLICATE)
        .build());
    try {
      CmaxResult result = child.search(new CmaxRequest(sweepId, features.artifactId(), knn.artifactId(),
          spec.clustering(), spec.search(), spec.seed(), spec.runtime()));
      update(new StageReport(SEARCH, StageState.DONE, null, result.evidence().stream().allMatch(Probe::reused),
          secondsSince(started), "C_max = " + result.cMax() + " after " + result.evidence().size() + " probes"));
      return result;
    } catch (ChildWorkflowFailure failure) {
      String reason = FailureCause.of(failure, spec.runtime());
      update(new StageReport(SEARCH, StageState.FAILED, null, false, secondsSince(started), reason));
      phase = "failed in " + SEARCH;
      throw ApplicationFailure.newNonRetryableFailure("stage search failed: " + reason, "StageFailed");
    }
  }

  /** Runs the queued trials, a bounded number at once, until none is left; failed trials are reported. */
  private void runGrid(SweepRequest request, DatasetArtifact dataset, FeaturesArtifact features, KnnArtifact knn) {
    phase = "grid";
    Map<String, Promise<TrialResult>> running = new LinkedHashMap<>();
    while (true) {
      boolean draining = Workflow.getInfo().getHistoryLength() > request.historyLimit();
      while (!draining && running.size() < spec.runtime().parallelTrials() && !queue.isEmpty()) {
        GridPoint point = queue.poll();
        trials.put(point.id(), new TrialResult(point, TrialState.RUNNING, null, null, null, ""));
        running.put(point.id(), startTrial(point, dataset, features, knn));
      }
      if (running.isEmpty()) {
        if (draining && !queue.isEmpty()) {
          Workflow.continueAsNew(new SweepRequest(sweepId, spec, new SweepCarry(stages, dataset, features, knn, cmax,
              List.copyOf(trials.values())), request.historyLimit()));
        }
        return;
      }
      Workflow.await(() -> running.values().stream().anyMatch(Promise::isCompleted)
          || (running.size() < spec.runtime().parallelTrials() && !queue.isEmpty()));
      running.entrySet().removeIf(e -> {
        if (!e.getValue().isCompleted()) {
          return false;
        }
        GridPoint point = trials.get(e.getKey()).point();
        try {
          trials.put(e.getKey(), e.getValue().get());
        } catch (ChildWorkflowFailure failure) {
          trials.put(e.getKey(), new TrialResult(point, TrialState.FAILED, null, null, null, FailureCause.of(failure, spec.runtime())));
        }
        return true;
      });
    }
  }

  private Promise<TrialResult> startTrial(GridPoint point, DatasetArtifact dataset, FeaturesArtifact features,
      KnnArtifact knn) {
    TrialWorkflow trial = Workflow.newChildWorkflowStub(TrialWorkflow.class, ChildWorkflowOptions.newBuilder()
        .setWorkflowId(TrialWorkflow.workflowId(sweepId, point))
        .setTaskQueue(spec.runtime().cpuQueue())
        .setWorkflowIdReusePolicy(WorkflowIdReusePolicy.WORKFLOW_ID_REUSE_POLICY_ALLOW_DUPLICATE)
        .build());
    return Async.function(trial::run, new TrialRequest(sweepId, point, dataset.artifactId(), features.artifactId(),
        knn.artifactId(), spec));
  }

  /** Runs one stage, keeping its report current for queries; a failure ends the sweep. */
  private <T extends StageOutput> T stage(String name, Supplier<T> work) {
    phase = name;
    long started = Workflow.currentTimeMillis();
    update(new StageReport(name, StageState.RUNNING, null, false, 0, ""));
    try {
      T result = work.get();
      update(new StageReport(name, StageState.DONE, result.artifactId(), result.reused(), secondsSince(started),
          result.describe()));
      return result;
    } catch (ActivityFailure failure) {
      String reason = FailureCause.of(failure, spec.runtime());
      update(new StageReport(name, StageState.FAILED, null, false, secondsSince(started), reason));
      phase = "failed in " + name;
      throw ApplicationFailure.newNonRetryableFailure("stage " + name + " failed: " + reason, "StageFailed");
    }
  }

  private static double secondsSince(long started) {
    return (Workflow.currentTimeMillis() - started) / 1000.0;
  }

  private void update(StageReport report) {
    for (int i = 0; i < stages.size(); i++) {
      if (stages.get(i).stage().equals(report.stage())) {
        stages.set(i, report);
        return;
      }
    }
    stages.add(report);
  }
}
