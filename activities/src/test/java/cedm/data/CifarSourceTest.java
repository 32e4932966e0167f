package cedm.data;

import cedm.io.BadInputException;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** CIFAR binary batches written byte by byte from the format's definition. */
class CifarSourceTest {
  @TempDir Path dir;

  /** Record r of a batch: label r % 10, channel c of pixel p = (r + c * 7 + p) mod 256. */
  private static byte[] batch(int records, int labelBytes) {
    int size = labelBytes + 3072;
    byte[] data = new byte[records * size];
    for (int r = 0; r < records; r++) {
      data[r * size] = (byte) (r % 20);
      data[r * size + labelBytes - 1] = (byte) (r % 10 + (labelBytes == 2 ? 90 : 0));
      for (int c = 0; c < 3; c++) {
        for (int p = 0; p < 1024; p++) {
          data[r * size + labelBytes + c * 1024 + p] = (byte) (r + c * 7 + p);
        }
      }
    }
    return data;
  }

  @Test
  void readsCifar10RecordsAsHwcWithLabels() throws Exception {
    for (int i = 1; i <= 5; i++) {
      Files.write(dir.resolve("data_batch_" + i + ".bin"), batch(10000, 1));
    }
    Files.write(dir.resolve("test_batch.bin"), batch(10000, 1));
    CifarSource source = new CifarSource(dir, false);
    List<ImageSource.Entry> train = source.entries(ImageSource.Split.TRAIN);
    assertEquals(50000, train.size());
    ImageSource.Entry e = train.get(10003);
    assertEquals(3, e.label());
    RgbImage image = e.decode();
    int pixel = 5 * 32 + 9;
    for (int c = 0; c < 3; c++) {
      assertEquals((3 + c * 7 + pixel) & 0xff, image.hwc()[pixel * 3 + c] & 0xff);
    }
    assertEquals(10000, source.entries(ImageSource.Split.TEST).size());
  }

  @Test
  void cifar100UsesTheFineLabel() throws Exception {
    Files.write(dir.resolve("train.bin"), batch(50000, 2));
    Files.write(dir.resolve("test.bin"), batch(10000, 2));
    ImageSource.Entry e = new CifarSource(dir, true).entries(ImageSource.Split.TRAIN).get(7);
    assertEquals(97, e.label());
    assertEquals((7 + 14) & 0xff, e.decode().hwc()[2] & 0xff);
  }

  @Test
  void aTruncatedBatchIsNamed() throws Exception {
    for (int i = 1; i <= 5; i++) {
      byte[] data = batch(10000, 1);
      Files.write(dir.resolve("data_batch_" + i + ".bin"), i == 3 ? java.util.Arrays.copyOf(data, 30726000) : data);
    }
    BadInputException e = assertThrows(BadInputException.class,
        () -> new CifarSource(dir, false).entries(ImageSource.Split.TRAIN));
    assertEquals(dir.resolve("data_batch_3.bin") + ": has 30726000 bytes, not a whole number of 3073-byte CIFAR-10 "
        + "records up to a complete batch of 30730000 (truncated or not a CIFAR binary batch?)", e.getMessage());
  }

  @Test
  void aBatchOfFewerWholeRecordsIsReadAsItIs() throws Exception {
    for (int i = 1; i <= 5; i++) {
      Files.write(dir.resolve("data_batch_" + i + ".bin"), batch(i == 3 ? 120 : 10000, 1));
    }
    List<ImageSource.Entry> train = new CifarSource(dir, false).entries(ImageSource.Split.TRAIN);
    assertEquals(40120, train.size());
    assertEquals(7, train.get(20000 + 117).label(), "record 117 of the short third batch");
  }

  @Test
  void aMissingBatchIsNamed() {
    BadInputException e = assertThrows(BadInputException.class,
        () -> new CifarSource(dir, false).entries(ImageSource.Split.TRAIN));
    assertEquals(dir.resolve("data_batch_1.bin") + ": missing CIFAR batch file", e.getMessage());
  }
}
