package cedm.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import cedm.io.BadInputException;
import cedm.spec.EvaluationSpec;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class EvalNetworkTest {
  /** Two 3x2 images, HWC: pixel values chosen so that every channel mean is distinct. */
  private static final byte[] IMAGES = new byte[2 * 3 * 2 * 3];

  static {
    for (int i = 0; i < IMAGES.length; i++) {
      IMAGES[i] = (byte) (i * 7 + 200);
    }
  }

  @Test
  void theInceptionPathFeedsExactPixelValuesAtTheImagesSize() throws Exception {
    try (EvalNetwork net = EvalNetwork.pretrained(EvaluationSpec.Encoder.INCEPTION, Path.of("src/test/resources/fixtures/eval/pixel_probe.pt"), Device.cpu(), 64)) {
      float[] f = net.features(IMAGES, 2, 3, 2);
      assertEquals(16, f.length);
      for (int n = 0; n < 2; n++) {
        for (int c = 0; c < 3; c++) {
          double sum = 0;
          for (int p = 0; p < 6; p++) {
            sum += IMAGES[(n * 6 + p) * 3 + c] & 0xFF;
          }
          assertEquals(sum / 6, f[n * 8 + c], 1e-4, "channel mean, image " + n + " channel " + c);
          assertEquals(IMAGES[n * 18 + c] & 0xFF, f[n * 8 + 3 + c], "first pixel");
        }
        assertArrayEquals(new float[] {3, 2}, new float[] {f[n * 8 + 6], f[n * 8 + 7]}, "height, width");
      }
      assertTrue(!net.proxy());
    }
  }

  @Test
  void builtinProxiesDifferPerEncoderAndSaySo() throws Exception {
    try (EvalNetwork fid = EvalNetwork.builtin("inception", Device.cpu(), 64); EvalNetwork fdd = EvalNetwork.builtin("dinov2", Device.cpu(), 64)) {
      assertTrue(fid.proxy() && fid.describe().contains("proxy"));
      assertNotEquals(fid.features(IMAGES, 2, 3, 2)[0], fdd.features(IMAGES, 2, 3, 2)[0]);
    }
  }

  @Test
  void aMissingNetworkFileIsNamed() {
    BadInputException e = assertThrows(BadInputException.class,
        () -> EvalNetwork.pretrained(EvaluationSpec.Encoder.INCEPTION, Path.of("models/absent-inception.pt"), Device.cpu(), 64));
    assertTrue(e.getMessage().contains("absent-inception.pt"), e.getMessage());
  }
}
