package cedm.io;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;

/** Streams an array of known shape into a {@code .npy} file, row block by row block. */
public final class NpyWriter implements AutoCloseable {
  private final Path file;
  private final OutputStream out;
  private final Npy.DType dtype;
  private final long expected;
  private long written;
  private final ByteBuffer scratch = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);

  public NpyWriter(Path file, Npy.DType dtype, long... shape) throws IOException {
    this.file = file;
    this.dtype = dtype;
    long count = 1;
    for (long d : shape) {
      count = Math.multiplyExact(count, d);
    }
    this.expected = count;
    this.out = new BufferedOutputStream(FileOutput.open(file), 1 << 20);
    out.write(Npy.header(dtype, shape));
  }

  public void writeBytes(byte[] data, int offset, int length) throws IOException {
    check(Npy.DType.U8, length);
    out.write(data, offset, length);
  }

  public void writeFloats(float[] data, int offset, int length) throws IOException {
    check(Npy.DType.F32, length);
    for (int i = offset; i < offset + length; i++) {
      flushIfFull(4);
      scratch.putFloat(data[i]);
    }
    drain();
  }

  public void writeDoubles(double[] data, int offset, int length) throws IOException {
    check(Npy.DType.F64, length);
    for (int i = offset; i < offset + length; i++) {
      flushIfFull(8);
      scratch.putDouble(data[i]);
    }
    drain();
  }

  public void writeLongs(long[] data, int offset, int length) throws IOException {
    check(Npy.DType.I64, length);
    for (int i = offset; i < offset + length; i++) {
      flushIfFull(8);
      scratch.putLong(data[i]);
    }
    drain();
  }

  private void check(Npy.DType type, int length) throws IOException {
    if (type != dtype) {
      throw new IllegalArgumentException(file + " holds " + dtype + ", not " + type);
    }
    written += length;
    if (written > expected) {
      throw new IOException(file + ": more elements written than its shape holds (" + expected + ")");
    }
  }

  private void flushIfFull(int bytes) throws IOException {
    if (scratch.remaining() < bytes) {
      drain();
    }
  }

  private void drain() throws IOException {
    out.write(scratch.array(), 0, scratch.position());
    scratch.clear();
  }

  @Override
  public void close() throws IOException {
    out.close();
    if (written != expected) {
      throw new IOException(file + ": " + written + " elements written, its shape needs " + expected);
    }
  }
}
