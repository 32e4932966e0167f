package cedm.io;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * NumPy {@code .npy} files (format 1.0, C order, little endian): the interchange format for
 * images, embeddings, neighbours and assignments. Written here rather than through a library so
 * that arrays larger than memory can be streamed in and read back by ranges.
 */
public final class Npy {
  private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
  private static final Pattern DESCR = Pattern.compile("'descr':\\s*'([^']+)'");
  private static final Pattern FORTRAN = Pattern.compile("'fortran_order':\\s*(True|False)");
  private static final Pattern SHAPE = Pattern.compile("'shape':\\s*\\(([^)]*)\\)");

  private Npy() {}

  /** Element types cedm writes. */
  public enum DType {
    U8("|u1", 1), I64("<i8", 8), F32("<f4", 4), F64("<f8", 8);

    final String descr;
    public final int bytes;

    DType(String descr, int bytes) {
      this.descr = descr;
      this.bytes = bytes;
    }

    static DType of(String descr, Path file) throws IOException {
      for (DType t : values()) {
        if (t.descr.equals(descr) || (t == U8 && descr.equals("<u1"))) {
          return t;
        }
      }
      throw new IOException(file + ": unsupported .npy dtype " + descr + " (allowed: u1, <i8, <f4, <f8)");
    }
  }

  /** The header of a file: element type, shape and where the data starts. */
  public record Header(DType dtype, long[] shape, long dataOffset) {
    public long count() {
      return Arrays.stream(shape).reduce(1, Math::multiplyExact);
    }

    /** Elements per entry along the first axis. */
    public long rowLength() {
      return shape.length == 0 ? 1 : count() / Math.max(1, shape[0]);
    }
  }

  public static byte[] header(DType dtype, long... shape) {
    StringBuilder dims = new StringBuilder();
    for (long d : shape) {
      dims.append(d).append(", ");
    }
    String shapeText = shape.length == 1 ? shape[0] + "," : dims.length() == 0 ? "" : dims.substring(0, dims.length() - 2);
    String dict = "{'descr': '" + dtype.descr + "', 'fortran_order': False, 'shape': (" + shapeText + "), }";
    int unpadded = MAGIC.length + 2 + 2 + dict.length() + 1;
    int padding = (64 - unpadded % 64) % 64;
    String text = dict + " ".repeat(padding) + "\n";
    ByteBuffer out = ByteBuffer.allocate(MAGIC.length + 4 + text.length()).order(ByteOrder.LITTLE_ENDIAN);
    out.put(MAGIC).put((byte) 1).put((byte) 0).putShort((short) text.length());
    out.put(text.getBytes(StandardCharsets.US_ASCII));
    return out.array();
  }

  public static Header readHeader(Path file) throws IOException {
    try (InputStream raw = Files.newInputStream(file); DataInputStream in = new DataInputStream(raw)) {
      byte[] magic = new byte[6];
      in.readFully(magic);
      if (!Arrays.equals(magic, MAGIC)) {
        throw new IOException(file + ": not a .npy file");
      }
      int major = in.readUnsignedByte();
      in.readUnsignedByte();
      long length;
      int prefix;
      if (major == 1) {
        length = Short.toUnsignedInt(Short.reverseBytes(in.readShort()));
        prefix = 10;
      } else {
        length = Integer.toUnsignedLong(Integer.reverseBytes(in.readInt()));
        prefix = 12;
      }
      byte[] text = new byte[(int) length];
      in.readFully(text);
      String dict = new String(text, StandardCharsets.ISO_8859_1);
      Matcher descr = DESCR.matcher(dict);
      Matcher fortran = FORTRAN.matcher(dict);
      Matcher shape = SHAPE.matcher(dict);
      if (!descr.find() || !fortran.find() || !shape.find()) {
        throw new IOException(file + ": malformed .npy header " + dict.trim());
      }
      if (fortran.group(1).equals("True")) {
        throw new IOException(file + ": Fortran-ordered .npy arrays are not supported");
      }
      long[] dims = Arrays.stream(shape.group(1).split(","))
          .map(String::trim).filter(s -> !s.isEmpty()).mapToLong(Long::parseLong).toArray();
      Header header = new Header(DType.of(descr.group(1), file), dims, prefix + length);
      long expected = header.dataOffset() + header.count() * header.dtype().bytes;
      if (Files.size(file) != expected) {
        throw new IOException(file + ": has " + Files.size(file) + " bytes, its header needs " + expected);
      }
      return header;
    }
  }

  /** Reads {@code count} elements from element {@code first} on, as little-endian bytes. */
  public static ByteBuffer readRange(Path file, Header header, long first, long count) throws IOException {
    long bytes = Math.multiplyExact(count, header.dtype().bytes);
    if (bytes > Integer.MAX_VALUE - 16) {
      throw new IOException(file + ": a range of " + bytes + " bytes is too large to read at once");
    }
    ByteBuffer buffer = ByteBuffer.allocate((int) bytes).order(ByteOrder.LITTLE_ENDIAN);
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      long position = header.dataOffset() + first * header.dtype().bytes;
      while (buffer.hasRemaining()) {
        if (channel.read(buffer, position + buffer.position()) < 0) {
          throw new IOException(file + ": ends early");
        }
      }
    }
    return buffer.flip();
  }

  /**
   * Rows {@code rows} (ascending) of a float32 [n, d] file, [rows.length, d]: one row in memory per
   * read, whatever the file's size.
   */
  public static float[] readRows(Path file, int[] rows) throws IOException {
    Header h = expect(file, DType.F32);
    if (h.shape().length != 2) {
      throw new IOException(file + ": holds shape " + Arrays.toString(h.shape()) + ", expected [n, d]");
    }
    int d = (int) h.shape()[1];
    float[] out = new float[Math.multiplyExact(rows.length, d)];
    ByteBuffer row = ByteBuffer.allocate(d * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      for (int r = 0; r < rows.length; r++) {
        if (rows[r] < 0 || rows[r] >= h.shape()[0]) {
          throw new IOException(file + ": has no row " + rows[r] + " of " + h.shape()[0]);
        }
        long position = h.dataOffset() + (long) rows[r] * d * Float.BYTES;
        row.clear();
        while (row.hasRemaining()) {
          if (channel.read(row, position + row.position()) < 0) {
            throw new IOException(file + ": ends early");
          }
        }
        row.flip().asFloatBuffer().get(out, r * d, d);
      }
    }
    return out;
  }

  public static float[] readFloats(Path file) throws IOException {
    ByteBuffer all = readAll(file, DType.F32);
    float[] out = new float[all.remaining() / Float.BYTES];
    all.asFloatBuffer().get(out);
    return out;
  }

  public static double[] readDoubles(Path file) throws IOException {
    ByteBuffer all = readAll(file, DType.F64);
    double[] out = new double[all.remaining() / Double.BYTES];
    all.asDoubleBuffer().get(out);
    return out;
  }

  public static long[] readLongs(Path file) throws IOException {
    ByteBuffer all = readAll(file, DType.I64);
    long[] out = new long[all.remaining() / Long.BYTES];
    all.asLongBuffer().get(out);
    return out;
  }

  /** Every element of a file that must hold {@code dtype}. */
  private static ByteBuffer readAll(Path file, DType dtype) throws IOException {
    Header h = expect(file, dtype);
    return readRange(file, h, 0, h.count());
  }

  public static byte[] readBytes(Path file) throws IOException {
    return readAll(file, DType.U8).array();
  }

  private static Header expect(Path file, DType dtype) throws IOException {
    Header h = readHeader(file);
    if (h.dtype() != dtype) {
      throw new IOException(file + ": holds " + h.dtype() + ", expected " + dtype);
    }
    return h;
  }

  public static void write(Path file, float[] data, long... shape) throws IOException {
    write(file, DType.F32, shape, w -> w.writeFloats(data, 0, data.length));
  }

  public static void write(Path file, double[] data, long... shape) throws IOException {
    write(file, DType.F64, shape, w -> w.writeDoubles(data, 0, data.length));
  }

  public static void write(Path file, long[] data, long... shape) throws IOException {
    write(file, DType.I64, shape, w -> w.writeLongs(data, 0, data.length));
  }

  public static void write(Path file, byte[] data, long... shape) throws IOException {
    write(file, DType.U8, shape, w -> w.writeBytes(data, 0, data.length));
  }

  /** What goes into a file: every element its shape holds. */
  private interface Body {
    void writeTo(NpyWriter writer) throws IOException;
  }

  private static void write(Path file, DType dtype, long[] shape, Body body) throws IOException {
    try (NpyWriter w = new NpyWriter(file, dtype, shape)) {
      body.writeTo(w);
    }
  }
}
