package cedm.data;

import cedm.io.BadInputException;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/** The files of a directory or a zip archive, by relative name with '/' separators. */
abstract class FileTree implements Closeable {
  final Path path;

  private FileTree(Path path) {
    this.path = path;
  }

  static FileTree open(Path path) throws IOException {
    if (Files.isDirectory(path)) {
      return new Directory(path);
    }
    if (!Files.isRegularFile(path)) {
      throw new BadInputException(path + ": no such file or directory");
    }
    try {
      return new Zip(path, new ZipFile(path.toFile()));
    } catch (IOException e) {
      throw new BadInputException(path + ": not a directory and not a readable zip archive (" + e.getMessage() + ")", e);
    }
  }

  /** Every regular file, sorted by name. */
  abstract List<String> names() throws IOException;

  abstract boolean has(String name);

  abstract InputStream open(String name) throws IOException;

  /** Where a name lives, for messages. */
  String describe(String name) {
    return path + (this instanceof Zip ? ":" : "/") + name;
  }

  abstract String fingerprint() throws IOException;

  @Override
  public void close() throws IOException {}

  private static final class Directory extends FileTree {
    Directory(Path path) {
      super(path);
    }

    @Override
    List<String> names() throws IOException {
      try (Stream<Path> walk = Files.walk(path)) {
        return walk.filter(Files::isRegularFile).map(p -> path.relativize(p).toString().replace('\\', '/'))
            .sorted().toList();
      }
    }

    @Override
    boolean has(String name) {
      return Files.isRegularFile(path.resolve(name));
    }

    @Override
    InputStream open(String name) throws IOException {
      return Files.newInputStream(path.resolve(name));
    }

    @Override
    String fingerprint() throws IOException {
      StringBuilder s = new StringBuilder();
      for (String name : names()) {
        Path f = path.resolve(name);
        s.append(name).append(':').append(Files.size(f)).append(':')
            .append(Files.getLastModifiedTime(f).toMillis()).append('\n');
      }
      return s.toString();
    }
  }

  private static final class Zip extends FileTree {
    private final ZipFile zip;

    Zip(Path path, ZipFile zip) {
      super(path);
      this.zip = zip;
    }

    @Override
    List<String> names() {
      Stream.Builder<String> names = Stream.builder();
      for (Enumeration<? extends ZipEntry> e = zip.entries(); e.hasMoreElements(); ) {
        ZipEntry entry = e.nextElement();
        if (!entry.isDirectory()) {
          names.add(entry.getName());
        }
      }
      return names.build().sorted().toList();
    }

    @Override
    boolean has(String name) {
      return zip.getEntry(name) != null;
    }

    @Override
    synchronized InputStream open(String name) throws IOException {
      return zip.getInputStream(zip.getEntry(name));
    }

    @Override
    String fingerprint() throws IOException {
      return path.getFileName() + ":" + Files.size(path) + ":" + Files.getLastModifiedTime(path).toMillis();
    }

    @Override
    public void close() throws IOException {
      zip.close();
    }
  }
}
