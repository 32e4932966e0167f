package cedm.report;

import cedm.spec.ClusteringMethod;
import cedm.spec.EvaluationSpec.Result;
import cedm.spec.ExperimentSpec;
import cedm.spec.GridSpec;
import cedm.stage.EvaluationArtifact.Summary;
import cedm.workflow.GridPoint;
import cedm.workflow.Probe;
import cedm.workflow.RungDecision;
import cedm.workflow.SweepStatus;
import cedm.workflow.TrialResult;
import cedm.workflow.TrialState;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a sweep report shows, from the sweep's status (the trials' artifacts as the workflow
 * recorded them) and its spec.
 *
 * @param alpha the search's threshold, null when the search was off
 * @param rows one per trial, grid points by method and C, then the baselines
 * @param best the scored row with the lowest mean FID, or null before any is scored
 * @param halving the successive-halving rule, null for a full grid
 * @param rungs its decisions so far
 */
public record ReportData(String sweepId, String phase, boolean finished, Integer cMax, Double alpha, List<Probe> evidence, List<Row> rows,
    Row best, GridSpec.SuccessiveHalving halving, List<RungDecision> rungs) {

  /**
   * A trial and the scores of its final model (null and empty until evaluated; a point waiting at a
   * rung has none yet): FID, and every other metric result by name, in the spec's order.
   */
  public record Row(TrialResult trial, Summary fid, Map<String, Summary> others) {
    public String point() {
      return trial.point().id();
    }

    public boolean clusters() {
      return trial.point().kind() == GridPoint.Kind.CLUSTERS;
    }

    public boolean proxy() {
      return trial.evaluation() != null && trial.evaluation().proxy();
    }
  }

  public static ReportData of(SweepStatus status, ExperimentSpec spec) {
    List<Row> rows = new ArrayList<>();
    for (TrialResult t : status.trials()) {
      boolean scored = t.evaluation() != null && t.state() != TrialState.WAITING;
      Summary fid = !scored || t.evaluation().fid().isEmpty() ? null : Summary.of(t.evaluation().fid());
      Map<String, Summary> others = new LinkedHashMap<>();
      if (scored) {
        t.evaluation().scores().forEach((name, values) -> {
          if (!name.equals(Result.FID.id()) && !values.isEmpty()) {
            others.put(name, Summary.of(values));
          }
        });
      }
      rows.add(new Row(t, fid, others));
    }
    rows.sort(Comparator.comparing((Row r) -> r.clusters() ? 0 : 1)
        .thenComparing(r -> r.clusters() ? r.trial().point().method().id() : "")
        .thenComparingInt(r -> r.trial().point().clusters()));
    Row best = rows.stream().filter(r -> r.fid() != null).min(Comparator.comparingDouble(r -> r.fid().mean()))
        .orElse(null);
    return new ReportData(status.sweepId(), status.describePhase(), status.finished(), status.cMax(),
        spec.search().enabled() ? spec.search().alpha() : null, status.evidence(), rows, best,
        spec.grid().rungKimgs().isEmpty() ? null : spec.grid().successiveHalving(), status.rungs());
  }

  public boolean proxy() {
    return rows.stream().anyMatch(Row::proxy);
  }

  /** The results besides FID that any row has (FDD, precision ...), in the spec's order. */
  public List<String> otherResults() {
    return rows.stream().flatMap(r -> r.others().keySet().stream()).distinct().toList();
  }

  /** Agreement with the dataset's labels exists (the dataset has labels). */
  public boolean hasClusterScores() {
    return rows.stream().anyMatch(r -> r.trial().clustering() != null && r.trial().clustering().scores() != null);
  }

  /** Per clustering method, the finished point with the lowest mean FID: what the grid picked. */
  public List<Row> picked() {
    Map<ClusteringMethod, Row> best = new TreeMap<>();
    rows.stream().filter(r -> r.clusters() && r.fid() != null)
        .forEach(r -> best.merge(r.trial().point().method(), r, (a, b) -> a.fid().mean() <= b.fid().mean() ? a : b));
    return List.copyOf(best.values());
  }

  /** The clustering point with the lowest mean FID: whose clusters the sample grid shows. */
  public Row bestClustering() {
    return rows.stream().filter(r -> r.clusters() && r.fid() != null && r.trial().training() != null)
        .min(Comparator.comparingDouble(r -> r.fid().mean())).orElse(null);
  }
}
