package cedm.features;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import cedm.io.Npy;
import org.junit.jupiter.api.Test;

/** Bit-exact against PIL's Image.resize(..., BICUBIC) on committed images. */
class PilResizeTest {

  private static void assertMatchesPil(String input, String expected, int inW, int inH, PilResize resize) throws Exception {
    byte[] images = Npy.readBytes(Fixtures.file(input));
    byte[] pil = Npy.readBytes(Fixtures.file(expected));
    int n = images.length / (inW * inH * 3);
    int out = resize.outWidth() * resize.outHeight() * 3;
    for (int i = 0; i < n; i++) {
      int[] mine = resize.resize(images, i * inW * inH * 3);
      int[] theirs = new int[out];
      for (int p = 0; p < out; p++) {
        theirs[p] = pil[i * out + p] & 0xff;
      }
      assertArrayEquals(theirs, mine, "image " + i + " of " + input + " -> " + expected);
    }
  }

  @Test
  void upsamplingTo224MatchesPil() throws Exception {
    assertMatchesPil("images.npy", "pil_224.npy", 32, 32, new PilResize(32, 32, 224, 224));
  }

  @Test
  void antialiasedDownsamplingMatchesPil() throws Exception {
    assertMatchesPil("images.npy", "pil_20.npy", 32, 32, new PilResize(32, 32, 20, 20));
  }

  @Test
  void shorterSideResizeKeepsTheAspectRatioAsTorchvision() throws Exception {
    PilResize resize = PilResize.shorterSide(48, 32, 224);
    assertEquals(336, resize.outWidth());
    assertEquals(224, resize.outHeight());
    assertMatchesPil("wide.npy", "pil_wide.npy", 48, 32, resize);
  }
}
