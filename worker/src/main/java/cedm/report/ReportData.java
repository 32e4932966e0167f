package cedm.report;

import cedm.activity.EvaluationArtifact.Summary;
import cedm.spec.ExperimentSpec;
import cedm.workflow.GridPoint;
import cedm.workflow.Probe;
import cedm.workflow.SweepStatus;
import cedm.workflow.TrialResult;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * What a sweep report shows, from the sweep's status (the trials' artifacts as the workflow
 * recorded them) and its spec.
 *
 * @param alpha the search's threshold, null when the search was off
 * @param rows one per trial, grid points by method and C, then the baselines
 * @param best the scored row with the lowest mean FID, or null before any is scored
 */
public record ReportData(String sweepId, String phase, Integer cMax, Double alpha, List<Probe> evidence, List<Row> rows,
    Row best) {

  /** A trial and its scores (null until evaluated). */
  public record Row(TrialResult trial, Summary fid, Summary fdd) {
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
      Summary fid = t.evaluation() == null || t.evaluation().fid().isEmpty() ? null : Summary.of(t.evaluation().fid());
      Summary fdd = t.evaluation() == null || t.evaluation().fdd().isEmpty() ? null : Summary.of(t.evaluation().fdd());
      rows.add(new Row(t, fid, fdd));
    }
    rows.sort(Comparator.comparing((Row r) -> r.clusters() ? 0 : 1)
        .thenComparing(r -> r.clusters() ? r.trial().point().method().id() : "")
        .thenComparingInt(r -> r.trial().point().clusters()));
    Row best = rows.stream().filter(r -> r.fid() != null).min(Comparator.comparingDouble(r -> r.fid().mean()))
        .orElse(null);
    return new ReportData(status.sweepId(), status.phase(), status.cMax(),
        spec.search().enabled() ? spec.search().alpha() : null, status.evidence(), rows, best);
  }

  public boolean finished() {
    return "done".equals(phase);
  }

  public boolean proxy() {
    return rows.stream().anyMatch(Row::proxy);
  }

  public boolean hasFdd() {
    return rows.stream().anyMatch(r -> r.fdd() != null);
  }

  /** Agreement with the dataset's labels exists (the dataset has labels). */
  public boolean hasClusterScores() {
    return rows.stream().anyMatch(r -> r.trial().clustering() != null && r.trial().clustering().scores() != null);
  }

  /** The clustering point with the lowest mean FID: whose clusters the sample grid shows. */
  public Row bestClustering() {
    return rows.stream().filter(r -> r.clusters() && r.fid() != null && r.trial().training() != null)
        .min(Comparator.comparingDouble(r -> r.fid().mean())).orElse(null);
  }
}
