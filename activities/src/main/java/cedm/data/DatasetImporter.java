package cedm.data;

import cedm.io.BadInputException;
import cedm.io.Npy;
import cedm.io.NpyWriter;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.function.LongConsumer;

/**
 * Writes a dataset in cedm's canonical form: {@code images.npy} uint8 [N, H, W, 3] and, when
 * labelled, {@code labels.npy} int64 [N]; the test split, if any, as {@code test_images.npy} and
 * {@code test_labels.npy}. The content digest is sha256 over pixels and labels.
 */
public final class DatasetImporter {
  public static final String IMAGES = "images.npy";
  public static final String LABELS = "labels.npy";
  public static final String TEST_IMAGES = "test_images.npy";
  public static final String TEST_LABELS = "test_labels.npy";

  /** What was imported. */
  public record Summary(int count, int height, int width, boolean labelled, int classes, int testCount, String contentDigest) {}

  private DatasetImporter() {}

  /**
   * @param resolution square output size, or null to keep the stored size (which must be uniform)
   * @param maxImages keep only the first N training images, or null for all
   * @param progress called with the number of images written so far
   */
  public static Summary write(ImageSource source, Path dir, Integer resolution, Integer maxImages, LongConsumer progress)
      throws IOException {
    MessageDigest digest = sha256();
    List<ImageSource.Entry> train = source.entries(ImageSource.Split.TRAIN);
    if (maxImages != null && train.size() > maxImages) {
      train = train.subList(0, maxImages);
    }
    List<ImageSource.Entry> test = source.entries(ImageSource.Split.TEST);
    int[] hw = writeSplit(train, dir.resolve(IMAGES), source.labelled() ? dir.resolve(LABELS) : null,
        resolution, digest, null, 0, progress);
    if (!test.isEmpty()) {
      writeSplit(test, dir.resolve(TEST_IMAGES), source.labelled() ? dir.resolve(TEST_LABELS) : null,
          resolution, digest, hw, train.size(), progress);
    }
    int classes = source.labelled()
        ? (int) train.stream().mapToLong(ImageSource.Entry::label).max().orElse(-1) + 1
        : 0;
    return new Summary(train.size(), hw[0], hw[1], source.labelled(), classes, test.size(),
        HexFormat.of().formatHex(digest.digest()));
  }

  /** Returns {height, width}; {@code required} forces the size of an earlier split. */
  private static int[] writeSplit(List<ImageSource.Entry> entries, Path imagesFile, Path labelsFile, Integer resolution,
      MessageDigest digest, int[] required, long done, LongConsumer progress) throws IOException {
    if (entries.isEmpty()) {
      throw new BadInputException(imagesFile.getFileName() + ": the dataset has no images in this split");
    }
    RgbImage first = sized(entries.get(0).decode(), resolution);
    int[] hw = required != null ? required : new int[] {first.height(), first.width()};
    long[] labels = new long[entries.size()];
    try (NpyWriter images = new NpyWriter(imagesFile, Npy.DType.U8, entries.size(), hw[0], hw[1], 3)) {
      for (int i = 0; i < entries.size(); i++) {
        ImageSource.Entry entry = entries.get(i);
        RgbImage image = i == 0 ? first : sized(entry.decode(), resolution);
        if (image.height() != hw[0] || image.width() != hw[1]) {
          throw new BadInputException(entry.origin() + ": is " + image.width() + "x" + image.height()
              + ", the dataset's images are " + hw[1] + "x" + hw[0]
              + " (set dataset.resolution to centre-crop and resize every image)");
        }
        images.writeBytes(image.hwc(), 0, image.hwc().length);
        digest.update(image.hwc());
        labels[i] = entry.label();
        if ((i + 1) % 256 == 0 || i + 1 == entries.size()) {
          progress.accept(done + i + 1);
        }
      }
    }
    if (labelsFile != null) {
      Npy.write(labelsFile, labels, labels.length);
      ByteBuffer bytes = ByteBuffer.allocate(labels.length * 8);
      bytes.asLongBuffer().put(labels);
      digest.update(bytes.array());
    }
    return hw;
  }

  private static RgbImage sized(RgbImage image, Integer resolution) {
    return resolution == null ? image : image.squareResized(resolution);
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
