package cedm.eval;

import cedm.io.Npy;
import cedm.spec.EvaluationSpec;
import cedm.spec.EvaluationSpec.Metric;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.IntConsumer;

/** One sample set's results for one metric, against the training set's features. */
public final class SetScores {
  /** Seeds the subsets PRDC scores, so an evaluation run twice gives the same figures. */
  private static final long PRDC_SEED = 13579;

  /**
   * The training set's features through one encoder: their moments, and the file of its
   * {@code count} rows when a metric compares samples one by one (read row by row, never whole).
   */
  public record Reference(FeatureStatistics.Moments moments, Path rows, int count) {}

  private SetScores() {}

  /**
   * @param set the set's moments, as {@code shards} give them for {@code network}
   * @param prdcTiles hears PRDC's tiles done of {@link Prdc#tiles}
   */
  public static Map<String, Double> score(Metric metric, EvaluationSpec spec, int s, SampleShards shards,
      EvalNetwork network, FeatureStatistics.Moments set, Reference reference, IntConsumer prdcTiles)
      throws Exception {
    return switch (metric) {
      case FID, FDD -> Map.of(metric.results().get(0).id(),
          FrechetDistance.of(set.mu(), set.sigma(), reference.moments().mu(), reference.moments().sigma()));
      case PRDC -> {
        int n = prdcPoints(spec, reference.count());
        Prdc.Points realCut = new Prdc.Points(Npy.readRows(reference.rows(), Prdc.pick(reference.count(), n, PRDC_SEED)),
            n, reference.moments().dim());
        Prdc.Points fakeCut = shards.rows(s, network, Prdc.pick(spec.samplesPerSet(), n, PRDC_SEED + 1 + s));
        yield Prdc.of(realCut, fakeCut, spec.nearestK(), prdcTiles).byName();
      }
    };
  }

  /** Points PRDC compares per side: min(prdc_samples, samples per set, training images). */
  public static int prdcPoints(EvaluationSpec spec, int trainingImages) {
    return Math.min(spec.prdcSamples(), Math.min(spec.samplesPerSet(), trainingImages));
  }
}
