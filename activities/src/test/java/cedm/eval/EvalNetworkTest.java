package cedm.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import cedm.features.FeatureExtractor;
import cedm.io.BadInputException;
import cedm.spec.EvaluationSpec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
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

  /** A network that records the batches it is given and returns each image's channel sums. */
  private static final class Recording implements FeatureExtractor {
    final List<Integer> batches = new ArrayList<>();

    @Override
    public float[] extract(float[] nchw, int count, int height, int width) {
      batches.add(count);
      float[] out = new float[count * 3];
      for (int i = 0; i < nchw.length; i++) {
        out[i / (height * width)] += nchw[i];
      }
      return out;
    }

    @Override
    public int dim() {
      return 3;
    }

    @Override
    public String describe() {
      return "recording";
    }

    @Override
    public void close() {}
  }

  /** The largest tensor an encoder sees is one batch, however many images a call brings; rows stay in order. */
  @Test
  void anEncoderSeesOneBatchAtATime() throws Exception {
    int n = 150;
    byte[] images = new byte[n * 4 * 4 * 3];
    for (int i = 0; i < images.length; i++) {
      images[i] = (byte) (i * 31 + i / 48);
    }
    Recording inBatches = new Recording();
    Recording whole = new Recording();
    try (EvalNetwork batched = EvalNetwork.of(EvaluationSpec.Encoder.DINOV2, inBatches, 64);
        EvalNetwork once = EvalNetwork.of(EvaluationSpec.Encoder.DINOV2, whole, n)) {
      float[] f = batched.features(images, n, 4, 4);
      assertEquals(List.of(64, 64, 22), inBatches.batches);
      assertArrayEquals(once.features(images, n, 4, 4), f, "the same rows in the same order");
      assertEquals(List.of(n), whole.batches);
    }
  }

  /**
   * DJL sizes a tensor's buffer as an int: 3,600 images at 224 px (2.2 GB of float32) in one
   * tensor overflowed it. Through the DINOv2 stand-in (the real input size and width) a shard of
   * 3,601 goes through in batches.
   */
  @Test
  void aShardOverThirtySixHundredImagesPassesThe224PixelEncoder() throws Exception {
    int n = 3601;
    byte[] images = new byte[n * 8 * 8 * 3];
    for (int i = 0; i < images.length; i++) {
      images[i] = (byte) (i * 13);
    }
    try (EvalNetwork dinov2 = EvalNetwork.pretrained(EvaluationSpec.Encoder.DINOV2,
        Path.of("src/main/resources/cedm/rehearsal/dinov2_standin.pt"), Device.cpu(), 64)) {
      float[] f = dinov2.features(images, n, 8, 8);
      assertEquals((long) n * EvaluationSpec.Encoder.DINOV2.dim(), f.length);
      float[] first = dinov2.features(Arrays.copyOf(images, 8 * 8 * 3), 1, 8, 8);
      assertArrayEquals(first, Arrays.copyOf(f, first.length), 1e-5f, "image 0 alone and in the shard");
    }
  }
}
