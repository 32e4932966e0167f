package cedm.activities;

import cedm.metrics.Gauges;
import cedm.stage.ClusteringArtifact;
import cedm.stage.RunLabels;
import io.micrometer.core.instrument.Tags;

/** A clustering's figures, labelled by sweep, stage, trial (a C_max probe or a grid point) and C. */
final class ClusteringGauges {
  private final Tags tags;

  ClusteringGauges(RunLabels labels, String method) {
    tags = StageMetrics.tags(Stage.CLUSTERING.id(), labels).and("method", method);
  }

  /** The loss of a method that trains (TEMI: the mean over its heads) at the latest step. */
  void loss(double loss) {
    Gauges.set("cedm.clustering.loss", "Clustering loss at the latest step (TEMI: mean over heads)", tags, loss);
  }

  /** Also for a reused clustering, so a resumed sweep shows every probe. */
  void result(ClusteringArtifact a) {
    Gauges.set("cedm.clustering.utilisation", "r_C: clusters holding a training image over C", tags, a.utilisation());
    Gauges.set("cedm.clustering.used", "Clusters holding at least one training image", tags, a.used());
  }
}
