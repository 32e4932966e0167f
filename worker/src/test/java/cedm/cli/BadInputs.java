package cedm.cli;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import javax.imageio.ImageIO;

/** Broken inputs as users make them; each method returns the file the error must name. */
final class BadInputs {
  private BadInputs() {}

  /** A CIFAR-10 folder whose first batch was cut short by an interrupted download. */
  static Path truncatedCifarBatch(Path dir) throws Exception {
    Files.createDirectories(dir);
    Path batch = dir.resolve("data_batch_1.bin");
    Files.write(batch, new byte[100]);
    return batch;
  }

  /** An image folder with eight images and a text file named like an image. */
  static Path folderWithANonImage(Path dir) throws Exception {
    Files.createDirectories(dir);
    for (int i = 0; i < 8; i++) {
      Files.write(dir.resolve("img" + i + ".png"), png(8, i));
    }
    Path fake = dir.resolve("img8.png");
    Files.writeString(fake, "<html>404 not found</html>");
    return fake;
  }

  /**
   * An image folder with one 30000 x 30000 grey PNG (valid: every row is zeros), whose 2.7 GB of RGB
   * pixels no Java array can hold.
   */
  static Path folderWithAHugeImage(Path dir) throws Exception {
    Files.createDirectories(dir);
    Files.write(dir.resolve("img0.png"), png(8, 0));
    int side = 30000;
    ByteArrayOutputStream idat = new ByteArrayOutputStream();
    try (DeflaterOutputStream z = new DeflaterOutputStream(idat, new Deflater(Deflater.BEST_COMPRESSION), 1 << 16)) {
      byte[] row = new byte[side + 1];
      for (int y = 0; y < side; y++) {
        z.write(row);
      }
    }
    ByteBuffer header = ByteBuffer.allocate(13).putInt(side).putInt(side).put((byte) 8).put((byte) 0)
        .put((byte) 0).put((byte) 0).put((byte) 0);
    ByteArrayOutputStream png = new ByteArrayOutputStream();
    png.write(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
    chunk(png, "IHDR", header.array());
    chunk(png, "IDAT", idat.toByteArray());
    chunk(png, "IEND", new byte[0]);
    Path huge = dir.resolve("img1.png");
    Files.write(huge, png.toByteArray());
    return huge;
  }

  private static void chunk(ByteArrayOutputStream png, String type, byte[] data) {
    byte[] typed = new byte[4 + data.length];
    System.arraycopy(type.getBytes(java.nio.charset.StandardCharsets.US_ASCII), 0, typed, 0, 4);
    System.arraycopy(data, 0, typed, 4, data.length);
    CRC32 crc = new CRC32();
    crc.update(typed);
    png.writeBytes(ByteBuffer.allocate(4).putInt(data.length).array());
    png.writeBytes(typed);
    png.writeBytes(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
  }

  /** An EDM dataset zip whose dataset.json gives class names where EDM wants integers. */
  static Path edmZipWithWrongLabels(Path zip) throws Exception {
    try (OutputStream file = Files.newOutputStream(zip); ZipOutputStream z = new ZipOutputStream(file)) {
      StringBuilder labels = new StringBuilder("{\"labels\": [");
      for (int i = 0; i < 8; i++) {
        String name = String.format("00000/img%08d.png", i);
        z.putNextEntry(new ZipEntry(name));
        z.write(png(8, i));
        labels.append(i == 0 ? "" : ", ").append("[\"").append(name).append("\", \"").append(i % 2 == 0 ? "cat" : "dog")
            .append("\"]");
      }
      z.putNextEntry(new ZipEntry("dataset.json"));
      z.write(labels.append("]}").toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
    return zip;
  }

  /** A "model" file that is a pickle, not TorchScript. */
  static Path notAModel(Path file) throws Exception {
    Files.write(file, new byte[] {(byte) 0x80, 0x04, (byte) 0x95, 0x00, 0x00, 0x2e});
    return file;
  }

  /** A TorchScript model returning NaN features (made by fixtures/make_feature_fixtures.py). */
  static Path nanFeaturesModel() {
    return Path.of("..", "activities", "src", "test", "resources", "fixtures", "features", "nan_features.pt")
        .toAbsolutePath().normalize();
  }

  /** A TorchScript model returning [N, 8, 2] instead of [N, D] (made by fixtures/make_feature_fixtures.py). */
  static Path wrongShapeModel() {
    return Path.of("..", "activities", "src", "test", "resources", "fixtures", "features", "wrong_shape.pt")
        .toAbsolutePath().normalize();
  }

  private static byte[] png(int size, int seed) throws Exception {
    BufferedImage image = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < size; y++) {
      for (int x = 0; x < size; x++) {
        image.setRGB(x, y, (x * 30) << 16 | (y * 30) << 8 | seed * 30);
      }
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageIO.write(image, "png", out);
    return out.toByteArray();
  }
}
