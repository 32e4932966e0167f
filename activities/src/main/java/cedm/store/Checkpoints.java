package cedm.store;

import cedm.io.FileOutput;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
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

  /** A verified checkpoint. */
  /**
   * @param bytes the size of its files, for metrics
   * @param writtenMillis when it was written (its manifest's modification time once read back)
   */
  public record Checkpoint(long step, Path dir, JsonNode meta, long bytes, long writtenMillis) {}

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
      ObjectNode manifest = JSON.createObjectNode();
      manifest.put("step", step);
      manifest.set("meta", meta);
      var files = manifest.putArray("files");
      long bytes = 0;
      for (Path f : list(tmp)) {
        bytes += Files.size(f);
        ArtifactStore.fsync(f);
        files.addObject().put("name", f.getFileName().toString()).put("size", Files.size(f))
            .put("sha256", ArtifactStore.sha256(f));
      }
      JSON.writeValue(FileOutput.open(tmp.resolve(MANIFEST)), manifest);
      ArtifactStore.fsync(tmp.resolve(MANIFEST));
      ArtifactStore.deleteTree(target);
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
      ArtifactStore.fsync(dir);
      prune();
      return new Checkpoint(step, target, meta, bytes, System.currentTimeMillis());
    } finally {
      ArtifactStore.deleteTree(tmp);
    }
  }

  /** The newest checkpoint that verifies; corrupt newer ones are skipped with a warning. */
  public Optional<Checkpoint> latest() throws IOException {
    List<Path> all = checkpoints();
    for (int i = all.size() - 1; i >= 0; i--) {
      Path c = all.get(i);
      String problem = verify(c);
      if (problem == null) {
        JsonNode manifest = JSON.readTree(c.resolve(MANIFEST).toFile());
        long bytes = 0;
        for (JsonNode f : manifest.get("files")) {
          bytes += f.get("size").asLong();
        }
        return Optional.of(new Checkpoint(manifest.get("step").asLong(), c, manifest.get("meta"), bytes,
            Files.getLastModifiedTime(c.resolve(MANIFEST)).toMillis()));
      }
      log.warn("checkpoint {} is invalid ({}); falling back to the previous one", c, problem);
    }
    return Optional.empty();
  }

  private static String verify(Path checkpoint) {
    Path manifestFile = checkpoint.resolve(MANIFEST);
    if (!Files.isRegularFile(manifestFile)) {
      return "no manifest";
    }
    try {
      JsonNode manifest = JSON.readTree(manifestFile.toFile());
      for (JsonNode f : manifest.get("files")) {
        Path file = checkpoint.resolve(f.get("name").asText());
        if (!Files.isRegularFile(file) || Files.size(file) != f.get("size").asLong()) {
          return f.get("name").asText() + " is missing or has the wrong size";
        }
        if (!ArtifactStore.sha256(file).equals(f.get("sha256").asText())) {
          return f.get("name").asText() + " does not match its sha256";
        }
      }
      return null;
    } catch (IOException | RuntimeException e) {
      return "unreadable manifest: " + e.getMessage();
    }
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

  private static List<Path> list(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(Files::isRegularFile).sorted(Comparator.naturalOrder()).toList();
    }
  }
}
