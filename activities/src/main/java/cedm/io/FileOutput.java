package cedm.io;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * An output stream to a file whose write errors name the file: the JVM's own "No space left on
 * device" names nothing, and the stage's one-line failure should say where it wrote.
 */
public final class FileOutput extends FilterOutputStream {
  private final Path file;

  private FileOutput(Path file, OutputStream out) {
    super(out);
    this.file = file;
  }

  /** Creates or truncates {@code file}. */
  public static OutputStream open(Path file) throws IOException {
    try {
      return new FileOutput(file, Files.newOutputStream(file));
    } catch (IOException e) {
      throw named(file, e);
    }
  }

  @Override
  public void write(int b) throws IOException {
    try {
      out.write(b);
    } catch (IOException e) {
      throw named(file, e);
    }
  }

  @Override
  public void write(byte[] b, int off, int len) throws IOException {
    try {
      out.write(b, off, len);
    } catch (IOException e) {
      throw named(file, e);
    }
  }

  @Override
  public void flush() throws IOException {
    try {
      out.flush();
    } catch (IOException e) {
      throw named(file, e);
    }
  }

  @Override
  public void close() throws IOException {
    try {
      out.close();
    } catch (IOException e) {
      throw named(file, e);
    }
  }

  private static IOException named(Path file, IOException e) {
    String message = e.getMessage();
    if (message != null && message.contains(file.toString())) {
      return e;
    }
    return new IOException(file + ": " + (message == null ? e.getClass().getSimpleName() : message), e);
  }
}
