package cedm.store;

import cedm.io.AtomicFile;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The device time of every stage attempt of a sweep, kept in the store beside the sweep's record
 * ({@code sweeps/SWEEP/ledger/}): a file per attempt, so workers on several hosts never write the
 * same one. A running attempt rewrites its file as it goes, so the time of a worker that is killed
 * counts up to its last update, and a stage's time adds up across restarts.
 */
public final class DeviceLedger {
  private static final Logger log = LoggerFactory.getLogger(DeviceLedger.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  /** How often a running attempt rewrites its file: what a killed worker's attempt can lose. */
  static final long UPDATE_EVERY_NANOS = 30_000_000_000L;
  static final String RUNNING = "running";
  private static final String LEDGER = "ledger";

  private final ArtifactStore store;

  DeviceLedger(ArtifactStore store) {
    this.store = store;
  }

  /**
   * One attempt of a stage.
   *
   * @param trial the grid point ("" for the sweep's shared stages)
   * @param deviceKind "gpu" or "cpu" (a CPU slot standing in for a GPU, or a CPU stage)
   * @param devices devices it held (0 for a CPU stage, which holds no device)
   * @param seconds wall time so far, or in all once it ended
   * @param outcome how it ended; "running" while it runs, or if its worker died
   */
  public record Entry(String stage, String trial, int clusters, String deviceKind, int devices, double seconds,
      String outcome, String started) {
    public double deviceSeconds() {
      return seconds * devices;
    }
  }

  /** Starts recording an attempt of {@code stage} for {@code sweep}. */
  public Attempt start(String sweep, String stage, String trial, int clusters, String deviceKind, int devices) {
    return new Attempt(sweep, new Entry(stage, trial, clusters, deviceKind, devices, 0, RUNNING,
        Instant.now().toString()));
  }

  /** Every attempt recorded for {@code sweep}, in no particular order. */
  public List<Entry> entries(String sweep) throws IOException {
    Path dir = store.sweepPath(sweep).resolve(LEDGER);
    List<Entry> entries = new ArrayList<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".json")).sorted().toList()) {
        entries.add(JSON.readValue(f.toFile(), Entry.class));
      }
    } catch (NoSuchFileException e) {
      return List.of();
    }
    return entries;
  }

  /** An attempt being recorded; {@link #progress} and {@link #end} write its file. */
  public final class Attempt {
    private final String sweep;
    private final Entry begun;
    private final long start = System.nanoTime();
    private final String file = UUID.randomUUID() + ".json";
    private long written = Long.MIN_VALUE;

    private Attempt(String sweep, Entry begun) {
      this.sweep = sweep;
      this.begun = begun;
      write(RUNNING);
    }

    /** Rewrites the running attempt's file if the last write is old enough. */
    public void progress() {
      if (System.nanoTime() - written >= UPDATE_EVERY_NANOS) {
        write(RUNNING);
      }
    }

    public void end(String outcome) {
      write(outcome);
    }

    /** The ledger is bookkeeping: a failed write is logged, never the stage's failure. */
    private void write(String outcome) {
      long now = System.nanoTime();
      Entry e = new Entry(begun.stage(), begun.trial(), begun.clusters(), begun.deviceKind(), begun.devices(),
          (now - start) / 1e9, outcome, begun.started());
      try {
        Path dir = Files.createDirectories(store.sweepDir(sweep).resolve(LEDGER));
        AtomicFile.write(dir.resolve(file), tmp -> JSON.writeValue(tmp.toFile(), e));
        written = now;
      } catch (IOException | RuntimeException failure) {
        log.warn("device ledger of sweep {}: could not record {} ({})", sweep, begun.stage(), failure.toString());
      }
    }
  }
}
