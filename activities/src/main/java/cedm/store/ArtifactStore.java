package cedm.store;

import cedm.io.AtomicFile;
import cedm.io.FileOutput;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Content-addressed artifact store on a directory (a shared file system for several hosts).
 *
 * <pre>
 * root/artifacts/STAGE/ID/   finished artifacts: data files + manifest.json (written last)
 * root/staging/              artifacts being written; renamed into artifacts/ when complete
 * root/work/STAGE/ID/        resumable progress of a running stage (chunks, checkpoints)
 * root/locks/                one lock file per artifact being produced
 * root/sweeps/SWEEP/         the submitted spec of each sweep, for resume
 * root/trash/                corrupt artifacts moved aside before deletion
 * </pre>
 *
 * Producers of the same artifact are serialised by a lock (threads and processes); whoever comes
 * second finds the artifact and reuses it. Readers verify sizes and sha256 against the manifest
 * and treat any mismatch as absent.
 */
public final class ArtifactStore {
  private static final Logger log = LoggerFactory.getLogger(ArtifactStore.class);
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  private static final Map<Path, ReentrantLock> JVM_LOCKS = new ConcurrentHashMap<>();
  private static final long LOCK_POLL_MILLIS = 200;

  private final Path root;
  /** Artifacts verified by this process, by directory, with the file stamps they had then. */
  private final Map<Path, String> verified = new ConcurrentHashMap<>();

  /**
   * Opens (creating if needed) the store at {@code root} and proves it writable, so a store that
   * cannot work fails here, with its cause, and not hours later in a stage.
   *
   * @throws UnusableStoreException if {@code root} is a file or cannot be created or written
   */
  public ArtifactStore(Path root) {
    this.root = root.toAbsolutePath().normalize();
    if (Files.exists(this.root) && !Files.isDirectory(this.root)) {
      throw new UnusableStoreException(this.root + " is a file, not a directory", null);
    }
    try {
      for (String dir : List.of("artifacts", "staging", "work", "locks", "sweeps", "trash")) {
        Files.createDirectories(this.root.resolve(dir));
      }
      Files.delete(Files.createTempFile(this.root.resolve("staging"), "write-probe", ".tmp"));
    } catch (IOException e) {
      throw new UnusableStoreException(this.root + " cannot be written (" + reason(e) + ")", e);
    }
  }

  /** The JVM's file-system exceptions carry the reason apart from the file. */
  private static String reason(IOException e) {
    if (e instanceof java.nio.file.FileSystemException fs) {
      String why = fs.getReason() != null ? fs.getReason() : e.getClass().getSimpleName();
      return fs.getFile() == null ? why : fs.getFile() + ": " + why;
    }
    return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
  }

  /** {@code $CEDM_STORE}, else {@code ~/.cedm/store}. */
  public static Path defaultRoot() {
    String env = System.getenv("CEDM_STORE");
    return env != null && !env.isBlank()
        ? Path.of(env)
        : Path.of(System.getProperty("user.home"), ".cedm", "store");
  }

  public Path root() {
    return root;
  }

  /** The result of {@link #obtain}: the artifact and whether it already existed. */
  public record Obtained(Artifact artifact, boolean reused) {}

  /** The verified artifact for {@code key}, or empty if it is absent or fails verification. */
  public Optional<Artifact> find(StageKey key) {
    Path dir = artifactDir(key);
    Path manifestFile = dir.resolve(Manifest.FILE);
    if (!Files.isRegularFile(manifestFile)) {
      return Optional.empty();
    }
    try {
      Manifest manifest = JSON.readValue(manifestFile.toFile(), Manifest.class);
      String stamps = stamps(dir, manifest);
      if (!stamps.equals(verified.get(dir))) {
        String problem = ManifestCheck.problem(dir, manifest.files());
        if (problem != null) {
          log.warn("artifact {} failed verification ({}); treating it as absent", key.name(), problem);
          return Optional.empty();
        }
        verified.put(dir, stamps);
      }
      return Optional.of(new Artifact(key, dir, manifest));
    } catch (IOException e) {
      log.warn("artifact {} has an unreadable manifest ({}); treating it as absent", key.name(), e.getMessage());
      return Optional.empty();
    }
  }

  public Obtained obtain(StageKey key, Producer producer) throws Exception {
    return obtain(key, producer, () -> {});
  }

  /**
   * Returns the artifact for {@code key}, producing it if absent. {@code whileWaiting} runs about
   * every {@value #LOCK_POLL_MILLIS} ms while another producer holds the key (e.g. a heartbeat).
   */
  public Obtained obtain(StageKey key, Producer producer, Runnable whileWaiting) throws Exception {
    Optional<Artifact> existing = find(key);
    if (existing.isPresent()) {
      return new Obtained(existing.get(), true);
    }
    Path lockFile = lockFile(key.name());
    ReentrantLock jvmLock = JVM_LOCKS.computeIfAbsent(lockFile, p -> new ReentrantLock());
    while (!jvmLock.tryLock(LOCK_POLL_MILLIS, java.util.concurrent.TimeUnit.MILLISECONDS)) {
      whileWaiting.run();
    }
    try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
      FileLock fileLock;
      while ((fileLock = channel.tryLock()) == null) {
        whileWaiting.run();
        Thread.sleep(LOCK_POLL_MILLIS);
      }
      try {
        existing = find(key);
        if (existing.isPresent()) {
          return new Obtained(existing.get(), true);
        }
        return new Obtained(produce(key, producer), false);
      } finally {
        fileLock.release();
      }
    } finally {
      jvmLock.unlock();
    }
  }

  /** Scratch space that survives restarts of the stage producing {@code key}; deleted on commit. */
  public Path workDir(StageKey key) throws IOException {
    return Files.createDirectories(root.resolve("work").resolve(key.stage()).resolve(key.id()));
  }

  /** The device time of every stage attempt, per sweep. */
  public DeviceLedger ledger() {
    return new DeviceLedger(this);
  }

  public Path sweepDir(String sweepId) throws IOException {
    return Files.createDirectories(sweepPath(sweepId));
  }

  /** Where {@link #sweepDir} is, without creating it (for readers). */
  public Path sweepPath(String sweepId) {
    return sweepsDir().resolve(sweepId);
  }

  /** The folder holding one folder per sweep. */
  public Path sweepsDir() {
    return root.resolve("sweeps");
  }

  /** A lock file for {@code name} that no artifact's lock can share. */
  public Path lockFile(String name) {
    return root.resolve("locks").resolve(name + ".lock");
  }

  public Path artifactDir(StageKey key) {
    return artifactDir(key.stage(), key.id());
  }

  /** Where the artifact {@code artifactId} of {@code stage} lives (or would), whatever its version. */
  public Path artifactDir(String stage, String artifactId) {
    return root.resolve("artifacts").resolve(stage).resolve(artifactId);
  }

  private Artifact produce(StageKey key, Producer producer) throws Exception {
    removeAbandonedStaging(key);
    Path staging = Files.createDirectories(
        root.resolve("staging").resolve(key.name() + "-" + UUID.randomUUID()));
    try {
      JsonNode meta = producer.produce(staging);
      List<Manifest.FileEntry> files = ManifestCheck.entries(staging);
      Manifest manifest = new Manifest(key.stage(), key.version(), key.id(), Instant.now().toString(), files, meta);
      AtomicFile.write(staging.resolve(Manifest.FILE), tmp -> JSON.writeValue(FileOutput.open(tmp), manifest));
      Path target = artifactDir(key);
      Files.createDirectories(target.getParent());
      moveAsideIfPresent(target);
      AtomicFile.rename(staging, target);
      deleteTree(root.resolve("work").resolve(key.stage()).resolve(key.id()));
      Artifact artifact = new Artifact(key, target, manifest);
      verified.put(target, stamps(target, manifest));
      return artifact;
    } finally {
      deleteTree(staging);
    }
  }

  /**
   * Staging directories of {@code key} that a killed process left behind. Only the holder of the
   * key's lock writes its staging, and the caller holds it, so none of them is in use.
   */
  private void removeAbandonedStaging(StageKey key) throws IOException {
    String prefix = key.name() + "-";
    try (var entries = Files.list(root.resolve("staging"))) {
      for (Path dir : entries.filter(p -> p.getFileName().toString().startsWith(prefix)).toList()) {
        log.info("removing {}, left by a process that stopped while writing it", dir);
        deleteTree(dir);
      }
    }
  }

  /** A corrupt or half-written artifact directory is moved to trash, then deleted. */
  private void moveAsideIfPresent(Path target) throws IOException {
    if (!Files.exists(target)) {
      return;
    }
    Path trash = root.resolve("trash").resolve(target.getFileName() + "-" + UUID.randomUUID());
    try {
      Files.move(target, trash, StandardCopyOption.ATOMIC_MOVE);
      log.warn("moved the invalid artifact {} aside before recomputing it", target);
    } catch (NoSuchFileException gone) {
      return;
    } catch (AtomicMoveNotSupportedException | DirectoryNotEmptyException | FileAlreadyExistsException e) {
      throw new IOException("cannot move the invalid artifact " + target + " aside", e);
    }
    deleteTree(trash);
  }

  private static String stamps(Path dir, Manifest manifest) throws IOException {
    StringBuilder s = new StringBuilder();
    s.append(Files.getLastModifiedTime(dir.resolve(Manifest.FILE)).toMillis());
    for (Manifest.FileEntry entry : manifest.files()) {
      Path file = dir.resolve(entry.name());
      if (!Files.exists(file)) {
        return "missing";
      }
      s.append('|').append(Files.size(file)).append('@').append(Files.getLastModifiedTime(file).toMillis());
    }
    return s.toString();
  }

  public static String sha256(Path file) throws IOException {
    MessageDigest sha;
    try {
      sha = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    byte[] buffer = new byte[1 << 20];
    try (InputStream in = Files.newInputStream(file)) {
      int n;
      while ((n = in.read(buffer)) > 0) {
        sha.update(buffer, 0, n);
      }
    }
    return HexFormat.of().formatHex(sha.digest());
  }

  public static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
