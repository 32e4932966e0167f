package cedm.data;

import cedm.io.BadInputException;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cedm.io.Npy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatasetImporterTest {
  @TempDir Path tmp;

  @Test
  void writesImagesLabelsAndTestSplitInCanonicalForm() throws Exception {
    ShapesSource source = new ShapesSource(3, 16, 40, 10, 5);
    List<Long> progress = new ArrayList<>();
    DatasetImporter.Summary s = DatasetImporter.write(source, tmp, null, null, progress::add);
    assertEquals(new DatasetImporter.Summary(40, 16, 16, true, 5, 10, s.contentDigest()), s);
    Npy.Header h = Npy.readHeader(tmp.resolve(DatasetImporter.IMAGES));
    assertArrayEquals(new long[] {40, 16, 16, 3}, h.shape());
    byte[] images = Npy.readBytes(tmp.resolve(DatasetImporter.IMAGES));
    byte[] third = source.entries(ImageSource.Split.TRAIN).get(2).decode().hwc();
    assertArrayEquals(third, java.util.Arrays.copyOfRange(images, 2 * 768, 3 * 768));
    long[] labels = Npy.readLongs(tmp.resolve(DatasetImporter.LABELS));
    assertEquals(source.entries(ImageSource.Split.TRAIN).get(39).label(), labels[39]);
    assertArrayEquals(new long[] {10, 16, 16, 3}, Npy.readHeader(tmp.resolve(DatasetImporter.TEST_IMAGES)).shape());
    assertEquals(50L, progress.get(progress.size() - 1));
  }

  @Test
  void theDigestFollowsTheContent() throws Exception {
    String a = DatasetImporter.write(new ShapesSource(3, 16, 20, 0, 5), Files.createDirectory(tmp.resolve("a")), null, null, x -> {}).contentDigest();
    String b = DatasetImporter.write(new ShapesSource(3, 16, 20, 0, 5), Files.createDirectory(tmp.resolve("b")), null, null, x -> {}).contentDigest();
    String c = DatasetImporter.write(new ShapesSource(4, 16, 20, 0, 5), Files.createDirectory(tmp.resolve("c")), null, null, x -> {}).contentDigest();
    assertEquals(a, b);
    assertNotEquals(a, c);
  }

  @Test
  void mixedSizesNeedAResolution() throws Exception {
    Path folder = Files.createDirectory(tmp.resolve("imgs"));
    Files.write(folder.resolve("a.png"), ImageFolderSourceTest.png(8, 8, 1));
    Files.write(folder.resolve("b.png"), ImageFolderSourceTest.png(12, 10, 2));
    Path out = Files.createDirectory(tmp.resolve("out"));
    try (ImageFolderSource source = new ImageFolderSource(folder, false)) {
      BadInputException e = assertThrows(BadInputException.class, () -> DatasetImporter.write(source, out, null, null, x -> {}));
      assertTrue(e.getMessage().startsWith(folder.resolve("b.png") + ": is 12x10, the dataset's images are 8x8"), e.getMessage());
      DatasetImporter.Summary s = DatasetImporter.write(source, out, 6, null, x -> {});
      assertEquals(6, s.height());
      assertFalse(s.labelled());
      assertFalse(Files.exists(out.resolve(DatasetImporter.LABELS)));
    }
  }

  @Test
  void maxImagesKeepsTheFirstN() throws Exception {
    DatasetImporter.Summary s = DatasetImporter.write(new ShapesSource(3, 8, 30, 0, 3), tmp, null, 12, x -> {});
    assertEquals(12, s.count());
    assertEquals(12, Npy.readLongs(tmp.resolve(DatasetImporter.LABELS)).length);
  }
}
