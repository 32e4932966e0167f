package cedm.memory;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * This process's memory high-water marks: resident memory (Linux's VmHWM, everything the process
 * touched: Java heap, libtorch, OpenBLAS, buffers) and the Java heap's peak use. Both can be reset,
 * so one process can measure several stretches of work one after the other.
 */
public final class PeakMemory {
  private static final Path STATUS = Path.of("/proc/self/status");
  private static final Path CLEAR_REFS = Path.of("/proc/self/clear_refs");

  /** Peak resident bytes and, of them, the Java heap's peak use. */
  public record Reading(long residentBytes, long heapBytes) {
    /** Resident memory outside the Java heap: native libraries, tensors, direct buffers. */
    public long nativeBytes() {
      return Math.max(0, residentBytes - heapBytes);
    }
  }

  private PeakMemory() {}

  /** The peaks since the process started or since the last {@link #reset}. */
  public static Reading peak() {
    long heap = 0;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP && pool.getPeakUsage() != null) {
        heap += pool.getPeakUsage().getUsed();
      }
    }
    return new Reading(status("VmHWM:"), heap);
  }

  /** Resident bytes now. */
  public static long resident() {
    return status("VmRSS:");
  }

  /**
   * Starts a new high-water mark at what is resident now (Linux: "5" to /proc/self/clear_refs) and
   * the heap's peaks at its current use.
   */
  public static void reset() {
    try {
      Files.writeString(CLEAR_REFS, "5");
    } catch (IOException e) {
      throw new IllegalStateException("cannot reset the resident high-water mark (" + CLEAR_REFS + ": "
          + e.getMessage() + "); memory figures need Linux 4.0 or later", e);
    }
    ManagementFactory.getMemoryPoolMXBeans().forEach(MemoryPoolMXBean::resetPeakUsage);
  }

  private static long status(String field) {
    try {
      for (String line : Files.readAllLines(STATUS)) {
        if (line.startsWith(field)) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
        }
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot read " + STATUS + ": " + e.getMessage(), e);
    }
    throw new IllegalStateException("no " + field + " in " + STATUS + ": memory figures need Linux");
  }
}
