package cedm.activities;

import cedm.metrics.Gauges;
import cedm.spec.EvaluationSpec.Result;
import cedm.stage.EvaluationArtifact;
import cedm.stage.RunLabels;
import io.micrometer.core.instrument.Tags;
import java.util.List;
import java.util.Locale;

/**
 * A trial's scores per sample set, one gauge per metric result ({@code cedm_evaluation_fid},
 * {@code cedm_evaluation_precision} ...), labelled by sweep, stage, trial and C, and whether the
 * feature network is a proxy (builtin) rather than the paper's Inception or DINOv2.
 */
final class EvaluationGauges {
  private EvaluationGauges() {}

  /** Also for a reused evaluation, so a resumed sweep shows every score. */
  static void report(RunLabels labels, EvaluationArtifact a) {
    Tags tags = StageMetrics.tags(Stage.EVALUATION.id(), labels).and("proxy", Boolean.toString(a.proxy()));
    a.scores().forEach((result, perSet) -> set("cedm.evaluation." + result,
        Result.of(result).help(), tags, perSet));
  }

  /** A snapshot's mean FID, labelled by the Mimg it was taken at: a trial's curve (the paper's Fig. 2). */
  static void reportSnapshot(RunLabels labels, double mimg, EvaluationArtifact a) {
    Tags tags = StageMetrics.tags(Stage.EVALUATION.id(), labels).and("proxy", Boolean.toString(a.proxy()))
        .and("mimg", String.format(Locale.ROOT, "%.4f", mimg));
    Gauges.set("cedm.evaluation.snapshot.fid", "Mean FID of a training snapshot's sample set", tags,
        a.fid().stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN));
  }

  private static void set(String name, String help, Tags tags, List<Double> perSet) {
    for (int s = 0; s < perSet.size(); s++) {
      Gauges.set(name, help, tags.and("set", Integer.toString(s)), perSet.get(s));
    }
  }
}
