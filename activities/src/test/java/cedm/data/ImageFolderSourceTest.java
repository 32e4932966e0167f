package cedm.data;

import cedm.io.BadInputException;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageFolderSourceTest {
  @TempDir Path dir;

  /** A w x h PNG whose pixel (x, y) is (x*10, y*10, seed). */
  static byte[] png(int w, int h, int seed) throws Exception {
    BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        image.setRGB(x, y, (x * 10) << 16 | (y * 10) << 8 | seed);
      }
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageIO.write(image, "png", out);
    return out.toByteArray();
  }

  private Path edmZip(String datasetJson) throws Exception {
    Path zip = dir.resolve("ds.zip");
    try (OutputStream file = Files.newOutputStream(zip); ZipOutputStream z = new ZipOutputStream(file)) {
      for (int i : new int[] {1, 0, 2}) {
        z.putNextEntry(new ZipEntry(String.format("00000/img%08d.png", i)));
        z.write(png(4, 4, i));
      }
      if (datasetJson != null) {
        z.putNextEntry(new ZipEntry("dataset.json"));
        z.write(datasetJson.getBytes());
      }
    }
    return zip;
  }

  @Test
  void readsAnEdmZipSortedWithItsLabels() throws Exception {
    Path zip = edmZip("{\"labels\": [[\"00000/img00000000.png\", 4], [\"00000/img00000001.png\", 1], "
        + "[\"00000/img00000002.png\", 9]]}");
    try (ImageFolderSource source = new ImageFolderSource(zip, true)) {
      List<ImageSource.Entry> entries = source.entries(ImageSource.Split.TRAIN);
      assertTrue(source.labelled());
      assertEquals(List.of(4L, 1L, 9L), entries.stream().map(ImageSource.Entry::label).toList());
      RgbImage image = entries.get(2).decode();
      assertArrayEquals(new byte[] {30, 20, 2}, java.util.Arrays.copyOfRange(image.hwc(), (2 * 4 + 3) * 3, (2 * 4 + 3) * 3 + 3));
    }
  }

  @Test
  void nullLabelsOrNoDatasetJsonMeanUnlabelled() throws Exception {
    try (ImageFolderSource source = new ImageFolderSource(edmZip("{\"labels\": null}"), true)) {
      assertFalse(source.labelled());
      assertEquals(-1, source.entries(ImageSource.Split.TRAIN).get(0).label());
    }
  }

  @Test
  void aBrokenDatasetJsonIsNamed() throws Exception {
    Path zip = edmZip("{\"labels\": [[\"00000/img00000000.png\", \"cat\"]]}");
    BadInputException e = assertThrows(BadInputException.class, () -> new ImageFolderSource(zip, true));
    assertEquals(zip + ":dataset.json: labels[0] is [\"00000/img00000000.png\",\"cat\"] (allowed: [file name, integer >= 0])",
        e.getMessage());
    Path zip2 = edmZip("{labels: oops");
    assertTrue(assertThrows(BadInputException.class, () -> new ImageFolderSource(zip2, true))
        .getMessage().startsWith(zip2 + ":dataset.json: not valid JSON"));
  }

  @Test
  void aFileWithAnImageNameButNoImageInsideIsNamed() throws Exception {
    Files.write(dir.resolve("a.png"), png(4, 4, 0));
    Files.writeString(dir.resolve("b.png"), "this is not a png");
    Files.writeString(dir.resolve("notes.txt"), "ignored, like EDM does");
    try (ImageFolderSource source = new ImageFolderSource(dir, false)) {
      List<ImageSource.Entry> entries = source.entries(ImageSource.Split.TRAIN);
      assertEquals(2, entries.size());
      BadInputException e = assertThrows(BadInputException.class, () -> entries.get(1).decode());
      assertTrue(e.getMessage().startsWith(dir.resolve("b.png") + ": not a readable image"), e.getMessage());
    }
  }

  @Test
  void greyImagesAreReplicatedNotColourConverted() throws Exception {
    BufferedImage grey = new BufferedImage(2, 1, BufferedImage.TYPE_BYTE_GRAY);
    grey.getRaster().setSample(0, 0, 0, 100);
    grey.getRaster().setSample(1, 0, 0, 200);
    ImageIO.write(grey, "png", dir.resolve("g.png").toFile());
    try (ImageFolderSource source = new ImageFolderSource(dir, false)) {
      assertArrayEquals(new byte[] {100, 100, 100, (byte) 200, (byte) 200, (byte) 200},
          source.entries(ImageSource.Split.TRAIN).get(0).decode().hwc());
    }
  }

  @Test
  void anEmptyFolderIsNamed() {
    BadInputException e = assertThrows(BadInputException.class, () -> new ImageFolderSource(dir, false));
    assertTrue(e.getMessage().startsWith(dir + ": contains no images"));
  }
}
