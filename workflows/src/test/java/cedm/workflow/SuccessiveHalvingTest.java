package cedm.workflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cedm.spec.ClusteringMethod;
import cedm.spec.GridSpec;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The rung rule on its own: rank, ceil(n / eta), the noise guard, unscored points, late points. */
class SuccessiveHalvingTest {
  private static GridSpec.SuccessiveHalving rule(int eta, double sigmas) {
    return new GridSpec.SuccessiveHalving(List.of(1.0), eta, 3, 100, sigmas);
  }

  private static RungScore score(String id, Double... fid) {
    return new RungScore(id, List.of(fid), "e-" + id);
  }

  @Test
  void theBestCeilNOverEtaContinueInRankOrder() {
    RungDecision d = SuccessiveHalving.decide(ClusteringMethod.TEMI, 0, 1.0, List.of(score("a", 50.0, 50.0, 50.0),
        score("b", 30.0, 30.0, 30.0), score("c", 40.0, 40.0, 40.0), score("d", 45.0, 45.0, 45.0),
        score("e", 35.0, 35.0, 35.0)), rule(3, 1));
    assertEquals(List.of("b", "e"), d.kept(), "ceil(5 / 3) = 2");
    assertEquals(List.of("c", "d", "a"), d.stopped());
    assertEquals("e", d.cut().pointId());
    assertEquals(List.of("b", "e", "c", "d", "a"), d.scores().stream().map(RungScore::pointId).toList());
  }

  @Test
  void aPointWithinNoiseOfTheCutIsKeptAndSigmasZeroTurnsTheGuardOff() {
    // Pooled variance (0 + 0.5 + 18 + 0) / 8 = 2.3125; the difference of two means of 3 sets has a
    // standard error of sqrt(2 * 2.3125 / 3) = 1.24, and d is 0.5 above the cut.
    List<RungScore> scores = List.of(score("a", 30.0, 30.0, 30.0), score("cut", 42.0, 42.5, 43.0),
        score("d", 40.0, 43.0, 46.0), score("far", 50.0, 50.0, 50.0));
    RungDecision guarded = SuccessiveHalving.decide(ClusteringMethod.TEMI, 0, 1.0, scores, rule(2, 1));
    assertEquals(2.3125, guarded.pooledVariance(), 1e-12);
    assertEquals(List.of("a", "cut", "d"), guarded.kept());
    assertEquals(List.of("d"), guarded.guarded());
    assertEquals(List.of("far"), guarded.stopped());
    assertEquals(Math.sqrt(2.3125 / 3), guarded.standardError(scores.get(1)), 1e-12);
    RungDecision off = SuccessiveHalving.decide(ClusteringMethod.TEMI, 0, 1.0, scores, rule(2, 0));
    assertEquals(List.of("a", "cut"), off.kept());
    assertEquals(List.of("d", "far"), off.stopped());
    RungDecision tight = SuccessiveHalving.decide(ClusteringMethod.TEMI, 0, 1.0, scores, rule(2, 0.3));
    assertEquals(List.of("d", "far"), tight.stopped(), "0.3 sigma = 0.37 < 0.5");
  }

  @Test
  void aPointWithoutAScoreIsKeptAndDoesNotCountTowardsTheCut() {
    RungDecision d = SuccessiveHalving.decide(ClusteringMethod.KMEANS, 1, 2.0, List.of(new RungScore("past", List.of(),
        null), score("a", 30.0, 30.0), score("b", 40.0, 40.0)), rule(2, 1));
    assertEquals(List.of("a", "past"), d.kept());
    assertEquals(List.of("b"), d.stopped());
  }

  @Test
  void aLatePointMustMatchTheCutOrBeWithinItsNoise() {
    // Pooled variance 2 / 6; a late mean of 3 sets is within noise when at most sqrt(2 / 9) = 0.47 above 40.
    RungDecision d = SuccessiveHalving.decide(ClusteringMethod.TEMI, 0, 1.0, List.of(score("a", 30.0, 30.0, 30.0),
        score("b", 39.0, 40.0, 41.0), score("c", 50.0, 50.0, 50.0)), rule(2, 1));
    assertEquals("b", d.cut().pointId());
    assertTrue(SuccessiveHalving.passes(score("late", 35.0, 35.0, 35.0), d, rule(2, 1)));
    assertTrue(SuccessiveHalving.passes(score("noisy", 38.4, 40.4, 42.4), d, rule(2, 1)), "40.4 is within 0.47 of 40");
    assertFalse(SuccessiveHalving.passes(score("worse", 40.6, 40.6, 40.6), d, rule(2, 1)));
    assertTrue(SuccessiveHalving.passes(new RungScore("past", List.of(), null), d, rule(2, 1)));
    RungDecision recorded = d.withLate(score("worse", 40.6, 40.6, 40.6), false);
    assertEquals(List.of("c", "worse"), recorded.stopped());
    assertEquals("stopped (added later, held to the cut)", recorded.outcome(recorded.scores().get(3)));
  }

  @Test
  void theNoiseIsPooledOverEveryPointsSets() {
    assertEquals((18 + 0.5) / 4, SuccessiveHalving.pooledVariance(List.of(score("d", 41.0, 44.0, 47.0),
        score("e", 42.0, 42.5, 43.0))), 1e-12);
    assertEquals(0, SuccessiveHalving.pooledVariance(List.of(score("one", 41.0))), "no degree of freedom");
  }
}
