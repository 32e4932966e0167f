package cedm.doctor;

import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Tries, from a process of its own, the file lock the artifact store takes before producing an
 * artifact; prints "held" when another process holds it, "acquired" when it could take it.
 * Run by {@link StoreChecks}: a lock that one JVM cannot see from another would let two workers
 * produce the same artifact at once.
 */
public final class LockProbe {
  private LockProbe() {}

  public static void main(String[] args) throws Exception {
    try (FileChannel channel = FileChannel.open(Path.of(args[0]), StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
      FileLock lock = channel.tryLock();
      System.out.println(lock == null ? "held" : "acquired");
      if (lock != null) {
        lock.release();
      }
    }
  }
}
