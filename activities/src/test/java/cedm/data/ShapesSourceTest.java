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
  void everyGroupAppearsWithItsOwnHue() throws Exception {
    int groups = 12;
    List<ImageSource.Entry> entries = new ShapesSource(0, 32, 600, 0, groups).entries(ImageSource.Split.TRAIN);
    int[] counts = new int[groups];
    double[][] hue = new double[groups][2];
    for (ImageSource.Entry e : entries) {
      int g = (int) e.label();
      counts[g]++;
      byte[] px = e.decode().hwc();
      int centre = (16 * 32 + 16) * 3;
      float[] hsb = java.awt.Color.RGBtoHSB(px[centre] & 0xff, px[centre + 1] & 0xff, px[centre + 2] & 0xff, null);
      hue[g][0] += Math.cos(2 * Math.PI * hsb[0]);
      hue[g][1] += Math.sin(2 * Math.PI * hsb[0]);
    }
    for (int g = 0; g < groups; g++) {
      assertTrue(counts[g] > 20, Arrays.toString(counts));
      double mean = Math.atan2(hue[g][1], hue[g][0]) / (2 * Math.PI);
      double expected = (double) g / groups;
      double gap = Math.abs(((mean - expected) % 1 + 1.5) % 1 - 0.5);
      assertTrue(gap < 0.5 / groups, "group " + g + " has mean hue " + mean + ", expected " + expected);
    }
  }

  @Test
  void testSplitIsDistinctFromTrain() throws Exception {
    ShapesSource s = new ShapesSource(0, 16, 5, 5, 4);
    assertEquals(5, s.entries(ImageSource.Split.TEST).size());
    assertFalse(Arrays.equals(s.entries(ImageSource.Split.TRAIN).get(0).decode().hwc(),
        s.entries(ImageSource.Split.TEST).get(0).decode().hwc()));
  }
}
