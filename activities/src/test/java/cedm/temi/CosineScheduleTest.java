package cedm.temi;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import org.junit.jupiter.api.Test;

/** Against TEMI's utils.cosine_scheduler, computed by hand. */
class CosineScheduleTest {

  private static double[] values(CosineSchedule s, int n) {
    double[] out = new double[n];
    for (int i = 0; i < n; i++) {
      out[i] = s.at(i);
    }
    return out;
  }

  @Test
  void linearWarmupWithBothEndsThenHalfCosine() {
    // epochs 3 x 2 iterations, 1 warm-up epoch: linspace(0, 1, 2), then 0.5 (1 + cos(pi i / 4)).
    double[] expected = {0, 1, 1, 0.5 * (1 + Math.cos(Math.PI / 4)), 0.5, 0.5 * (1 + Math.cos(3 * Math.PI / 4))};
    assertArrayEquals(expected, values(new CosineSchedule(1, 0, 3, 2, 1), 6), 1e-15);
  }

  @Test
  void aSingleWarmupIterationStartsAtZeroAsNumpysLinspace() {
    assertArrayEquals(new double[] {0, 0.4}, values(new CosineSchedule(0.4, 0.4, 2, 1, 1), 2), 1e-15);
  }

  @Test
  void equalEndsAreConstant() {
    assertArrayEquals(new double[] {0.996, 0.996, 0.996}, values(new CosineSchedule(0.996, 0.996, 3, 1, 0), 3), 1e-15);
  }
}
