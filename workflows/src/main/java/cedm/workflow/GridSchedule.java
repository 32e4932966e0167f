package cedm.workflow;

import cedm.spec.ClusteringMethod;
import cedm.spec.GridSpec;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The grid's books, free of Temporal: which points wait to start, which stretch of training each
 * runs next, and successive halving's rung decisions (Li et al. 2018, as {@link SuccessiveHalving}
 * scores them). A stretch ends at a rung, where the point waits until every point of its method
 * has arrived, or at the end of training.
 */
final class GridSchedule {
  private final GridSpec grid;
  private final Map<String, TrialResult> trials = new LinkedHashMap<>();
  private final Deque<GridPoint> queue = new ArrayDeque<>();
  /** Per point, the stretch it runs next: the index of the rung it ends at, or the rung count for the end. */
  private final Map<String, Integer> stretches = new LinkedHashMap<>();
  private final List<RungDecision> decisions = new ArrayList<>();

  GridSchedule(GridSpec grid) {
    this.grid = grid;
  }

  /** The books a sweep carried over when it continued as new; its pending points queue again. */
  static GridSchedule resumed(GridSpec grid, SweepCarry carry) {
    GridSchedule schedule = new GridSchedule(grid);
    carry.trials().forEach(t -> schedule.trials.put(t.point().id(), t));
    schedule.stretches.putAll(carry.legs());
    schedule.decisions.addAll(carry.decisions());
    carry.trials().stream().filter(t -> t.state() == TrialState.PENDING).forEach(t -> schedule.queue.add(t.point()));
    return schedule;
  }

  /** A new point starts with its first stretch: up to the first rung, or for a baseline to the end. */
  void add(GridPoint point) {
    if (!trials.containsKey(point.id())) {
      trials.put(point.id(), new TrialResult(point, TrialState.PENDING, null, null, null, ""));
      stretches.put(point.id(), point.kind() == GridPoint.Kind.CLUSTERS ? 0 : rungs().size());
      queue.add(point);
    }
  }

  /** Points for more cluster counts, one per method of the grid. */
  void addClusters(List<Integer> clusters) {
    for (int c : clusters) {
      for (ClusteringMethod method : grid.methods()) {
        add(GridPoint.clusters(method, c));
      }
    }
  }

  boolean hasQueued() {
    return !queue.isEmpty();
  }

  /** The next queued point, now running. */
  GridPoint start() {
    GridPoint point = queue.poll();
    trials.put(point.id(), trials.get(point.id()).as(TrialState.RUNNING, ""));
    return point;
  }

  /** The kimg the point's next stretch starts from: a point on stretch n passed rung n-1; a baseline starts at 0. */
  double stretchFrom(GridPoint point) {
    int stretch = stretch(point.id());
    return stretch == 0 || point.kind() != GridPoint.Kind.CLUSTERS ? 0 : rungs().get(stretch - 1);
  }

  /** The kimg of the rung the point's next stretch ends at, or null when it trains to the end. */
  Double stretchUntil(GridPoint point) {
    int stretch = stretch(point.id());
    return stretch < rungs().size() ? rungs().get(stretch) : null;
  }

  TrialResult trial(String pointId) {
    return trials.get(pointId);
  }

  /** A stretch ended with {@code result}; a point that reached a rung waits there for its decision. */
  void finished(String pointId, TrialResult result) {
    ended(pointId, result.after(trials.get(pointId)));
  }

  /** A stretch failed: the point fails, and is left out of its rung. */
  void failed(String pointId, String reason) {
    ended(pointId, trials.get(pointId).as(TrialState.FAILED, reason));
  }

  private void ended(String pointId, TrialResult result) {
    int stretch = stretch(pointId);
    trials.put(pointId, result);
    if (stretch < rungs().size()) {
      decide(result.point(), stretch);
    }
  }

  List<TrialResult> trials() {
    return List.copyOf(trials.values());
  }

  List<RungDecision> decisions() {
    return List.copyOf(decisions);
  }

  /** What the next run of the sweep needs to go on where this one stops. */
  Map<String, Integer> stretches() {
    return Map.copyOf(stretches);
  }

  private List<Double> rungs() {
    return grid.rungKimgs();
  }

  /** The stretch a point runs next; points from before schedules run to the end. */
  private int stretch(String pointId) {
    return stretches.getOrDefault(pointId, rungs().size());
  }

  /**
   * Decides the rung for the point's method once all its points there have arrived. A point that
   * arrives after its rung was decided (added later) is held to that decision's cut.
   */
  private void decide(GridPoint arrived, int rung) {
    int index = decisionAt(arrived.method(), rung);
    if (index >= 0) {
      decideLate(trials.get(arrived.id()), index, rung);
      return;
    }
    List<TrialResult> cohort = trials.values().stream()
        .filter(t -> t.point().kind() == GridPoint.Kind.CLUSTERS && t.point().method() == arrived.method())
        .filter(t -> stretch(t.point().id()) == rung && t.state() != TrialState.FAILED)
        .toList();
    if (cohort.isEmpty() || cohort.stream().anyMatch(t -> t.state() != TrialState.WAITING)) {
      return;
    }
    RungDecision decision = SuccessiveHalving.decide(arrived.method(), rung, rungs().get(rung),
        cohort.stream().map(GridSchedule::score).toList(), grid.successiveHalving());
    decisions.add(decision);
    for (TrialResult t : cohort) {
      if (decision.kept().contains(t.point().id())) {
        advance(t, rung);
      } else {
        stop(t, decision, score(t));
      }
    }
  }

  private int decisionAt(ClusteringMethod method, int rung) {
    int index = -1;
    for (int i = 0; i < decisions.size(); i++) {
      if (decisions.get(i).method() == method && decisions.get(i).rung() == rung) {
        index = i;
      }
    }
    return index;
  }

  private void decideLate(TrialResult arrived, int index, int rung) {
    if (arrived.state() != TrialState.WAITING) {
      return;
    }
    RungScore score = score(arrived);
    boolean passes = SuccessiveHalving.passes(score, decisions.get(index), grid.successiveHalving());
    decisions.set(index, decisions.get(index).withLate(score, passes));
    if (passes) {
      advance(arrived, rung);
    } else {
      stop(arrived, decisions.get(index), score);
    }
  }

  private static RungScore score(TrialResult waiting) {
    return waiting.evaluation() == null
        ? new RungScore(waiting.point().id(), List.of(), null)
        : new RungScore(waiting.point().id(), waiting.evaluation().fid(), waiting.evaluation().artifactId());
  }

  /** The point continues from its checkpoint to the next rung, or to the end. */
  private void advance(TrialResult waiting, int rung) {
    stretches.put(waiting.point().id(), rung + 1);
    trials.put(waiting.point().id(), waiting.as(TrialState.PENDING, waiting.note()));
    queue.add(waiting.point());
  }

  private void stop(TrialResult waiting, RungDecision decision, RungScore score) {
    trials.put(waiting.point().id(), waiting.as(TrialState.STOPPED, String.format(Locale.ROOT,
        "stopped at rung %d (%.1f kimg): FID %.2f +- %.2f against the cut %.2f +- %.2f (%s); %s",
        decision.rung() + 1, decision.kimg(), score.mean(), decision.standardError(score), decision.cut().mean(),
        decision.standardError(decision.cut()), decision.cut().pointId(), waiting.note())));
  }
}
