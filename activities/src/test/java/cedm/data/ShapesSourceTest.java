package cedm.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class ShapesSourceTest {

  @Test
  void imagesArePureFunctionsOfSeedAndIndex() throws Exception {
    ShapesSource a = new ShapesSource(7, 32, 50, 0, 8);
    ShapesSource b = new ShapesSource(7, 32, 50, 0, 8);
    ShapesSource other = new ShapesSource(8, 32, 50, 0, 8);
    List<ImageSource.Entry> ea = a.entries(ImageSource.Split.TRAIN);
    List<ImageSource.Entry> eb = b.entries(ImageSource.Split.TRAIN);
    assertArrayEquals(ea.get(13).decode().hwc(), eb.get(13).decode().hwc());
    assertArrayEquals(ea.get(13).decode().hwc(), ea.get(13).decode().hwc(), "decoding twice gives the same image");
    assertFalse(Arrays.equals(ea.get(13).decode().hwc(), other.entries(ImageSource.Split.TRAIN).get(13).decode().hwc()));
  }

  @Test
  void everyGroupAppearsAndColoursSeparateTheColourGroups() throws Exception {
    List<ImageSource.Entry> entries = new ShapesSource(0, 32, 600, 0, 12).entries(ImageSource.Split.TRAIN);
    int[] counts = new int[12];
    double[][] redness = new double[3][2];
    for (ImageSource.Entry e : entries) {
      int g = (int) e.label();
      counts[g]++;
      byte[] px = e.decode().hwc();
      int centre = (16 * 32 + 16) * 3;
      int colour = g / 4;
      redness[colour][0] += (px[centre] & 0xff) - Math.max(px[centre + 1] & 0xff, px[centre + 2] & 0xff);
      redness[colour][1]++;
    }
    for (int c : counts) {
      assertTrue(c > 20, Arrays.toString(counts));
    }
    double red = redness[0][0] / redness[0][1];
    double green = redness[1][0] / redness[1][1];
    double blue = redness[2][0] / redness[2][1];
    assertTrue(red > 50 && green < 0 && blue < 0, red + " " + green + " " + blue);
  }

  @Test
  void testSplitIsDistinctFromTrain() throws Exception {
    ShapesSource s = new ShapesSource(0, 16, 5, 5, 4);
    assertEquals(5, s.entries(ImageSource.Split.TEST).size());
    assertFalse(Arrays.equals(s.entries(ImageSource.Split.TRAIN).get(0).decode().hwc(),
        s.entries(ImageSource.Split.TEST).get(0).decode().hwc()));
  }
}
