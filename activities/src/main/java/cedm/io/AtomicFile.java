package cedm.io;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Durable all-or-nothing replacement of a file: a reader, or a process restarted after a crash or
 * power loss, finds either the old content or the new one, never a part. The content is written to
 * a temporary file beside the target (a rename is atomic only within one file system), flushed to
 * disk, renamed over the target, and the rename itself is flushed by syncing the directory.
 */
public final class AtomicFile {
  /** Writers of one file in this process take turns on its stripe, as they share its temporary file. */
  private static final Object[] STRIPES = new Object[64];

  static {
    for (int i = 0; i < STRIPES.length; i++) {
      STRIPES[i] = new Object();
    }
  }

  private AtomicFile() {}

  /** Writes a file's whole content. */
  @FunctionalInterface
  public interface Content {
    void writeTo(Path file) throws IOException;
  }

  /**
   * Replaces {@code target} (or creates it) with what {@code content} writes; on failure the
   * target is untouched. The temporary file has a fixed name, {@code target.tmp}: a failed write
   * leaves it for the next write to replace, so failures never pile files up. Two threads writing
   * the same file take turns; across processes, stages write their files under the store's locks.
   */
  public static void write(Path target, Content content) throws IOException {
    Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
    synchronized (STRIPES[Math.floorMod(target.toAbsolutePath().normalize().hashCode(), STRIPES.length)]) {
      content.writeTo(tmp);
      fsync(tmp);
      rename(tmp, target);
    }
  }

  /**
   * Renames {@code from} to {@code to} atomically, replacing a file (or an empty directory) there,
   * and makes the rename durable.
   */
  public static void rename(Path from, Path to) throws IOException {
    Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    fsync(to.toAbsolutePath().getParent());
  }

  /** Flushes a file's content, or a directory's entries, to the disk. */
  public static void fsync(Path path) throws IOException {
    boolean directory = Files.isDirectory(path);
    try (FileChannel channel = FileChannel.open(path, directory ? StandardOpenOption.READ : StandardOpenOption.WRITE)) {
      channel.force(true);
    }
  }
}
