package cedm.features;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class BuiltinExtractorTest {

  private static float[] input(int n, int size) {
    SplittableRandom r = new SplittableRandom(1);
    float[] x = new float[n * 3 * size * size];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) r.nextGaussian();
    }
    return x;
  }

  @Test
  void theSameSeedGivesTheSameNetworkAndEachImageItsOwnFeatures() {
    float[] x = input(3, 32);
    try (BuiltinExtractor a = new BuiltinExtractor(5, 16, Device.cpu());
        BuiltinExtractor b = new BuiltinExtractor(5, 16, Device.cpu());
        BuiltinExtractor c = new BuiltinExtractor(6, 16, Device.cpu())) {
      float[] fa = a.extract(x, 3, 32, 32);
      assertEquals(48, fa.length);
      assertArrayEquals(fa, b.extract(x, 3, 32, 32));
      assertFalse(Arrays.equals(fa, c.extract(x, 3, 32, 32)));
      float[] single = a.extract(Arrays.copyOfRange(x, 3 * 32 * 32, 2 * 3 * 32 * 32), 1, 32, 32);
      assertArrayEquals(Arrays.copyOfRange(fa, 16, 32), single, 1e-5f, "an image's features do not depend on its batch");
      assertTrue(a.describe().contains("NOT pre-trained"));
    }
  }
}
