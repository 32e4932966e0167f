package cedm.data;

import cedm.io.BadInputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The CIFAR binary versions: CIFAR-10's {@code data_batch_1..5.bin} and {@code test_batch.bin}
 * (1 label byte + 3072 CHW bytes per record), CIFAR-100's {@code train.bin} and {@code test.bin}
 * (coarse and fine label bytes + 3072 bytes; the fine label is used).
 */
public final class CifarSource implements ImageSource {
  private static final int PIXELS = 32 * 32 * 3;

  private final Path dir;
  private final boolean hundred;

  public CifarSource(Path dir, boolean hundred) throws BadInputException {
    if (!Files.isDirectory(dir)) {
      throw new BadInputException(dir + ": not a directory (expected the extracted "
          + (hundred ? "cifar-100-binary" : "cifar-10-batches-bin") + " folder)");
    }
    this.dir = dir;
    this.hundred = hundred;
  }

  private List<Path> files(Split split) {
    if (hundred) {
      return List.of(dir.resolve(split == Split.TRAIN ? "train.bin" : "test.bin"));
    }
    if (split == Split.TEST) {
      return List.of(dir.resolve("test_batch.bin"));
    }
    List<Path> batches = new ArrayList<>();
    for (int i = 1; i <= 5; i++) {
      batches.add(dir.resolve("data_batch_" + i + ".bin"));
    }
    return batches;
  }

  private int recordSize() {
    return PIXELS + (hundred ? 2 : 1);
  }

  @Override
  public List<Entry> entries(Split split) throws IOException {
    List<Entry> entries = new ArrayList<>();
    for (Path file : files(split)) {
      if (!Files.isRegularFile(file)) {
        throw new BadInputException(file + ": missing CIFAR batch file");
      }
      long size = Files.size(file);
      long complete = (long) (hundred ? (split == Split.TRAIN ? 50000 : 10000) : 10000) * recordSize();
      // A subset of a batch (whole records) is read as it is: users cut batches to try things out.
      if (size == 0 || size % recordSize() != 0 || size > complete) {
        throw new BadInputException(file + ": has " + size + " bytes, not a whole number of " + recordSize()
            + "-byte CIFAR-" + (hundred ? 100 : 10) + " records up to a complete batch of " + complete
            + " (truncated or not a CIFAR binary batch?)");
      }
      byte[] data = Files.readAllBytes(file);
      int records = data.length / recordSize();
      for (int r = 0; r < records; r++) {
        entries.add(new Record(file, data, r));
      }
    }
    return entries;
  }

  private final class Record implements Entry {
    private final Path file;
    private final byte[] data;
    private final int index;

    Record(Path file, byte[] data, int index) {
      this.file = file;
      this.data = data;
      this.index = index;
    }

    @Override
    public String origin() {
      return file + " record " + index;
    }

    @Override
    public long label() {
      return data[index * recordSize() + (hundred ? 1 : 0)] & 0xff;
    }

    @Override
    public RgbImage decode() {
      byte[] hwc = new byte[PIXELS];
      int base = index * recordSize() + (hundred ? 2 : 1);
      for (int c = 0; c < 3; c++) {
        for (int p = 0; p < 1024; p++) {
          hwc[p * 3 + c] = data[base + c * 1024 + p];
        }
      }
      return new RgbImage(32, 32, hwc);
    }
  }

  @Override
  public boolean labelled() {
    return true;
  }

  @Override
  public String fingerprint() throws IOException {
    StringBuilder s = new StringBuilder();
    for (Split split : Split.values()) {
      for (Path f : files(split)) {
        if (Files.exists(f)) {
          s.append(f.getFileName()).append(':').append(Files.size(f)).append(':')
              .append(Files.getLastModifiedTime(f).toMillis()).append('\n');
        }
      }
    }
    return s.toString();
  }
}
