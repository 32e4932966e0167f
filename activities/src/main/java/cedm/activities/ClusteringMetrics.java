package cedm.activities;

import cedm.activity.ClusteringArtifact;
import cedm.activity.RunLabels;
import cedm.metrics.Gauges;
import io.micrometer.core.instrument.Tags;

/** A clustering's figures, labelled by sweep, stage, trial (a C_max probe or a grid point) and C. */
final class ClusteringMetrics {
  private final Tags tags;

  ClusteringMetrics(RunLabels labels, String method) {
    tags = StageMetrics.tags(Stage.CLUSTERING.id(), labels).and("method", method);
  }

  /** TEMI's mean loss over the heads at the latest step. */
  void temiLoss(double loss) {
    Gauges.set("cedm.temi.loss", "TEMI loss at the latest step, mean over heads", tags, loss);
  }

  /** Also for a reused clustering, so a resumed sweep shows every probe. */
  void result(ClusteringArtifact a) {
    Gauges.set("cedm.clustering.utilisation", "r_C: clusters holding a training image over C", tags, a.utilisation());
    Gauges.set("cedm.clustering.used", "Clusters holding at least one training image", tags, a.used());
  }
}
