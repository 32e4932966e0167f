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
import cedm.spec.GridSpec;
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
import java.util.Locale;
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

  private String sweepId;
  private ExperimentSpec spec;
  private String phase = "starting";
  private List<StageReport> stages = new ArrayList<>();
  private CmaxResult cmax;
  private final Map<String, TrialResult> trials = new LinkedHashMap<>();
  private final Deque<GridPoint> queue = new ArrayDeque<>();
  /** Per point, the stretch of training it runs next: the index of the rung it ends at, or the rung count for the end. */
  private final Map<String, Integer> legs = new LinkedHashMap<>();
  private final List<RungDecision> decisions = new ArrayList<>();
  /** Points signalled before the run method has read the spec (signals can arrive first). */
  private final List<Integer> early = new ArrayList<>();

  @Override
  public SweepResult run(SweepRequest request) {
    sweepId = request.sweepId();
    spec = request.spec();
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
      legs.putAll(carry.legs());
      decisions.addAll(carry.decisions());
      carry.trials().stream().filter(t -> t.state() == TrialState.PENDING).forEach(t -> queue.add(t.point()));
      joinEarlyPoints();
    } else {
      joinEarlyPoints();
      for (String stage : List.of(DATASET, FEATURES, KNN)) {
        stages.add(StageReport.pending(stage));
      }
      RunLabels labels = RunLabels.sweep(sweepId);
      DatasetActivities datasets = Workflow.newActivityStub(DatasetActivities.class, StageOptions.of(DatasetActivities.class, spec.runtime()));
      FeatureActivities features = Workflow.newActivityStub(FeatureActivities.class, StageOptions.of(FeatureActivities.class, spec.runtime()));
      KnnActivities knn = Workflow.newActivityStub(KnnActivities.class, StageOptions.of(KnnActivities.class, spec.runtime()));
      dataset = stage(DATASET, () -> datasets.importDataset(new DatasetRequest(spec.dataset(), spec.seed(), labels)));
      FeaturesArtifact extracted = stage(FEATURES,
          () -> features.extractFeatures(new FeaturesRequest(dataset.artifactId(), spec.features(), spec.seed(), labels)));
      embeddings = extracted;
      neighbours = stage(KNN, () -> knn.mineNeighbours(new KnnRequest(extracted.artifactId(), spec.features().knn(), labels)));
    }

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
    phase = "done";
    return new SweepResult(sweepId, List.copyOf(stages), dataset, embeddings, neighbours, cmax,
        List.copyOf(trials.values()), List.copyOf(decisions));
  }

  /** Points signalled before this run read its request; after the carried ones, so none is queued twice. */
  private void joinEarlyPoints() {
    addPoints(List.copyOf(early));
    early.clear();
  }

  @Override
  public SweepStatus status() {
    return new SweepStatus(sweepId, phase, List.copyOf(stages), cmax == null ? null : cmax.cMax(),
        cmax == null ? List.of() : cmax.evidence(), List.copyOf(trials.values()), List.copyOf(decisions));
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

  /** A new point starts with its first stretch: up to the first rung, or for a baseline to the end. */
  private void enqueue(GridPoint point) {
    if (!trials.containsKey(point.id())) {
      trials.put(point.id(), new TrialResult(point, TrialState.PENDING, null, null, null, ""));
      legs.put(point.id(), point.kind() == GridPoint.Kind.CLUSTERS ? 0 : rungs().size());
      queue.add(point);
    }
  }

  private List<Double> rungs() {
    return spec.grid().rungKimgs();
  }

  /** The stretch a point runs next; points from before schedules run to the end. */
  private int leg(String pointId) {
    return legs.getOrDefault(pointId, rungs().size());
  }

  private CmaxResult search(FeaturesArtifact features, KnnArtifact knn) {
    phase = SEARCH;
    long started = Workflow.currentTimeMillis();
    update(new StageReport(SEARCH, StageState.RUNNING, null, false, 0, ""));
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
        update(new StageReport(SEARCH, StageState.DONE, null, result.evidence().stream().allMatch(Probe::reused),
            secondsSince(started), "C_max = " + result.cMax() + " after " + result.evidence().size() + " probes"));
        return result;
      } catch (ChildWorkflowFailure failure) {
        if (EarlierRun.retries(failure, attempt)) {
          Workflow.sleep(EarlierRun.WAIT);
          continue;
        }
        String reason = EarlierRun.holds(failure) ? EarlierRun.cause(childId) : FailureCause.of(failure, spec.runtime());
        update(new StageReport(SEARCH, StageState.FAILED, null, false, secondsSince(started), reason));
        phase = "failed in " + SEARCH;
        throw ApplicationFailure.newNonRetryableFailure("stage search failed: " + reason, "StageFailed");
      }
    }
  }

  /**
   * Runs the queued trials, a bounded number at once, until none is left; failed trials are
   * reported. Under successive halving a point that reaches a rung waits there; once every point
   * of its method at that rung has arrived, the rung's decision continues the best and stops the rest.
   */
  private void runGrid(SweepRequest request, DatasetArtifact dataset, FeaturesArtifact features, KnnArtifact knn) {
    phase = "grid";
    Map<String, Promise<TrialResult>> running = new LinkedHashMap<>();
    while (true) {
      boolean draining = Workflow.getInfo().getHistoryLength() > request.historyLimit();
      while (!draining && running.size() < spec.runtime().parallelTrials() && !queue.isEmpty()) {
        GridPoint point = queue.poll();
        trials.put(point.id(), trials.get(point.id()).as(TrialState.RUNNING, ""));
        running.put(point.id(), startTrial(point, dataset, features, knn));
      }
      if (running.isEmpty()) {
        if (draining && !queue.isEmpty()) {
          Workflow.continueAsNew(new SweepRequest(sweepId, spec, new SweepCarry(stages, dataset, features, knn, cmax,
              List.copyOf(trials.values()), legs, List.copyOf(decisions)), request.historyLimit()));
        }
        return;
      }
      boolean starting = !draining;
      Workflow.await(() -> running.values().stream().anyMatch(Promise::isCompleted)
          || (starting && running.size() < spec.runtime().parallelTrials() && !queue.isEmpty()));
      List<String> finished = running.entrySet().stream().filter(e -> e.getValue().isCompleted())
          .map(Map.Entry::getKey).toList();
      for (String id : finished) {
        finish(trials.get(id), running.remove(id));
      }
    }
  }

  /** A stretch of a trial ended: the point is done, failed, or waits at a rung for its decision. */
  private void finish(TrialResult earlier, Promise<TrialResult> stretch) {
    GridPoint point = earlier.point();
    int leg = leg(point.id());
    try {
      trials.put(point.id(), stretch.get().after(earlier));
    } catch (ChildWorkflowFailure failure) {
      trials.put(point.id(), earlier.as(TrialState.FAILED, EarlierRun.holds(failure)
          ? EarlierRun.cause(TrialWorkflow.workflowId(sweepId, point)) : FailureCause.of(failure, spec.runtime())));
    }
    if (leg < rungs().size()) {
      decide(point, leg);
    }
  }

  /**
   * Decides the rung for the point's method once all its points there have arrived. A point that
   * arrives after its rung was decided (added later) is held to that decision's cut.
   */
  private void decide(GridPoint arrived, int rung) {
    GridSpec.SuccessiveHalving rule = spec.grid().successiveHalving();
    int index = -1;
    for (int i = 0; i < decisions.size(); i++) {
      if (decisions.get(i).method() == arrived.method() && decisions.get(i).rung() == rung) {
        index = i;
      }
    }
    if (index >= 0) {
      TrialResult t = trials.get(arrived.id());
      if (t.state() == TrialState.WAITING) {
        RungScore score = score(t);
        boolean passes = SuccessiveHalving.passes(score, decisions.get(index), rule);
        decisions.set(index, decisions.get(index).withLate(score, passes));
        if (passes) {
          advance(t, rung);
        } else {
          stop(t, decisions.get(index), score);
        }
      }
      return;
    }
    List<TrialResult> cohort = trials.values().stream()
        .filter(t -> t.point().kind() == GridPoint.Kind.CLUSTERS && t.point().method() == arrived.method())
        .filter(t -> leg(t.point().id()) == rung && t.state() != TrialState.FAILED)
        .toList();
    if (cohort.isEmpty() || cohort.stream().anyMatch(t -> t.state() != TrialState.WAITING)) {
      return;
    }
    RungDecision decision = SuccessiveHalving.decide(arrived.method(), rung, rungs().get(rung),
        cohort.stream().map(SweepWorkflowImpl::score).toList(), rule);
    decisions.add(decision);
    for (TrialResult t : cohort) {
      if (decision.kept().contains(t.point().id())) {
        advance(t, rung);
      } else {
        stop(t, decision, score(t));
      }
    }
  }

  private static RungScore score(TrialResult waiting) {
    return waiting.evaluation() == null
        ? new RungScore(waiting.point().id(), List.of(), null)
        : new RungScore(waiting.point().id(), waiting.evaluation().fid(), waiting.evaluation().artifactId());
  }

  /** The point continues from its checkpoint to the next rung, or to the end. */
  private void advance(TrialResult waiting, int rung) {
    legs.put(waiting.point().id(), rung + 1);
    trials.put(waiting.point().id(), waiting.as(TrialState.PENDING, waiting.note()));
    queue.add(waiting.point());
  }

  private void stop(TrialResult waiting, RungDecision decision, RungScore score) {
    trials.put(waiting.point().id(), waiting.as(TrialState.STOPPED, String.format(Locale.ROOT,
        "stopped at rung %d (%.1f kimg): FID %.2f +- %.2f against the cut %.2f +- %.2f (%s); %s",
        decision.rung() + 1, decision.kimg(), score.mean(), decision.standardError(score), decision.cut().mean(),
        decision.standardError(decision.cut()), decision.cut().pointId(), waiting.note())));
  }

  private Promise<TrialResult> startTrial(GridPoint point, DatasetArtifact dataset, FeaturesArtifact features,
      KnnArtifact knn) {
    return startTrial(point, dataset, features, knn, 1);
  }

  /** Starts the point's trial; while a killed run's trial still holds its id, starts it again a little later. */
  private Promise<TrialResult> startTrial(GridPoint point, DatasetArtifact dataset, FeaturesArtifact features,
      KnnArtifact knn, int attempt) {
    TrialWorkflow trial = Workflow.newChildWorkflowStub(TrialWorkflow.class, ChildWorkflowOptions.newBuilder()
        .setWorkflowId(TrialWorkflow.workflowId(sweepId, point))
        .setTaskQueue(spec.runtime().cpuQueue())
        .setWorkflowIdReusePolicy(WorkflowIdReusePolicy.WORKFLOW_ID_REUSE_POLICY_ALLOW_DUPLICATE)
        .build());
    int leg = leg(point.id());
    List<Double> rungs = rungs();
    // A clustering point on leg n passed rung n-1 and continues from there; a baseline starts at 0.
    double from = leg == 0 || point.kind() != GridPoint.Kind.CLUSTERS ? 0 : rungs.get(leg - 1);
    return Async.function(trial::run, new TrialRequest(sweepId, point, dataset.artifactId(), features.artifactId(),
        knn.artifactId(), spec, from, leg < rungs.size() ? rungs.get(leg) : null))
        .handle((result, failure) -> {
          if (failure instanceof ChildWorkflowFailure f && EarlierRun.retries(f, attempt)) {
            return Workflow.newTimer(EarlierRun.WAIT).thenCompose(v -> startTrial(point, dataset, features, knn,
                attempt + 1));
          }
          return failure == null ? Workflow.newPromise(result) : Workflow.<TrialResult>newFailedPromise(failure);
        })
        .thenCompose(next -> next);
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
