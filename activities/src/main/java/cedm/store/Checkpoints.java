package cedm.store;

import cedm.io.AtomicFile;
import cedm.io.BadInputException;
import cedm.io.FileOutput;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checkpoints of a long stage in its work directory: {@code ckpt-STEP/} with the state's files
 * and a manifest (sizes, sha256, metadata) written last. A checkpoint is written in a temporary
 * directory and renamed into place, the newest {@code keep} are kept, and loading falls back
 * from a corrupt newest checkpoint to the previous one, saying so in the log.
 */
public final class Checkpoints {
  private static final Logger log = LoggerFactory.getLogger(Checkpoints.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String MANIFEST = "checkpoint.json";

  private final Path dir;
  private final int keep;

  /** Writes a checkpoint's files into an empty directory. */
  @FunctionalInterface
  public interface Writer {
    void write(Path dir) throws IOException;
  }

  /** Reads a stage's state from a verified checkpoint. */
  @FunctionalInterface
  public interface Reader<T> {
    /** @throws BadInputException or NoSuchFileException if the checkpoint's files are not what it reads */
    T read(Checkpoint checkpoint) throws IOException;
  }

  /**
   * A verified checkpoint.
   *
   * @param bytes the size of its files, for metrics
   * @param writtenMillis when it was written (its manifest's modification time once read back)
   */
  public record Checkpoint(long step, Path dir, JsonNode meta, long bytes, long writtenMillis) {}

  /** The manifest, {@value #MANIFEST}: the step, the stage's metadata and the files. */
  record Stored(long step, JsonNode meta, List<Manifest.FileEntry> files) {}

  public Checkpoints(Path dir, int keep) throws IOException {
    this.dir = Files.createDirectories(dir);
    this.keep = keep;
  }

  public Checkpoint save(long step, JsonNode meta, Writer writer) throws IOException {
    Path tmp = dir.resolve(".tmp-" + UUID.randomUUID());
    Path target = dir.resolve(String.format("ckpt-%012d", step));
    try {
      Files.createDirectories(tmp);
      writer.write(tmp);
      List<Manifest.FileEntry> files = ManifestCheck.entries(tmp);
      JSON.writeValue(FileOutput.open(tmp.resolve(MANIFEST)), new Stored(step, meta, files));
      AtomicFile.fsync(tmp.resolve(MANIFEST));
      ArtifactStore.deleteTree(target);
      AtomicFile.rename(tmp, target);
      prune();
      return new Checkpoint(step, target, meta, bytes(files), System.currentTimeMillis());
    } finally {
      ArtifactStore.deleteTree(tmp);
    }
  }

  /** The newest checkpoint that verifies; corrupt newer ones are skipped with a warning. */
  public Optional<Checkpoint> latest() throws IOException {
    return restore(c -> c);
  }

  /**
   * What {@code reader} reads from the newest checkpoint that verifies and that it can read. A
   * corrupt newer one, or one it cannot read, is removed with a warning, so the stage falls back
   * to the previous checkpoint or starts afresh.
   */
  public <T> Optional<T> restore(Reader<T> reader) throws IOException {
    List<Path> all = checkpoints();
    for (int i = all.size() - 1; i >= 0; i--) {
      Path c = all.get(i);
      String problem = verify(c);
      if (problem == null) {
        Stored stored = JSON.readValue(c.resolve(MANIFEST).toFile(), Stored.class);
        try {
          return Optional.of(reader.read(new Checkpoint(stored.step(), c, stored.meta(), bytes(stored.files()),
              Files.getLastModifiedTime(c.resolve(MANIFEST)).toMillis())));
        } catch (BadInputException | NoSuchFileException e) {
          // Intact, but not the files this version reads: a checkpoint of an older layout.
          problem = "not readable by this version: " + e.getMessage();
        }
      }
      // Removed, or pruning would keep it and delete the new checkpoints of the run that restarts here.
      log.warn("checkpoint {} is invalid ({}); removed, falling back to the previous one", c, problem);
      ArtifactStore.deleteTree(c);
    }
    return Optional.empty();
  }

  private static String verify(Path checkpoint) {
    Path manifestFile = checkpoint.resolve(MANIFEST);
    if (!Files.isRegularFile(manifestFile)) {
      return "no manifest";
    }
    try {
      return ManifestCheck.problem(checkpoint, JSON.readValue(manifestFile.toFile(), Stored.class).files());
    } catch (IOException | RuntimeException e) {
      return "unreadable manifest: " + e.getMessage();
    }
  }

  private static long bytes(List<Manifest.FileEntry> files) {
    return files.stream().mapToLong(Manifest.FileEntry::size).sum();
  }

  private List<Path> checkpoints() throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(p -> p.getFileName().toString().startsWith("ckpt-")).sorted().toList();
    }
  }

  private void prune() throws IOException {
    List<Path> all = new ArrayList<>(checkpoints());
    while (all.size() > keep) {
      ArtifactStore.deleteTree(all.remove(0));
    }
  }
}
