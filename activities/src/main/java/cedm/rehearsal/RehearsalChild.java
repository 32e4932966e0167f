package cedm.rehearsal;

import cedm.memory.PeakMemory;
import cedm.spec.ExperimentSpec;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;

/**
 * One rehearsed stage in a fresh JVM, as a worker would run it (no allocator settings of its own):
 * prints its peak resident memory, the Java heap's peak, its time and what it computed.
 *
 * <p>Arguments: stage, spec (JSON), the rehearsal's folder.
 */
public final class RehearsalChild {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** What one stage's process measured. */
  public record Measured(long residentBytes, long heapBytes, double seconds, String detail) {}

  private RehearsalChild() {}

  public static void main(String[] args) throws Exception {
    RehearsedStage stage = RehearsedStage.valueOf(args[0]);
    ExperimentSpec spec = JSON.readValue(args[1], ExperimentSpec.class);
    long start = System.nanoTime();
    String detail = stage.run(spec, Path.of(args[2]));
    double seconds = (System.nanoTime() - start) / 1e9;
    PeakMemory.Reading peak = PeakMemory.peak();
    System.out.println(JSON.writeValueAsString(new Measured(peak.residentBytes(), peak.heapBytes(), seconds, detail)));
  }
}
