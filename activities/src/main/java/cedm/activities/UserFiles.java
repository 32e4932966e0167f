package cedm.activities;

import cedm.io.BadInputException;
import cedm.store.ArtifactStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Digests of the user's files (models, references) that stage keys include. */
final class UserFiles {
  private static final Map<String, String> FILE_DIGESTS = new ConcurrentHashMap<>();

  private UserFiles() {}

  /**
   * sha256 of a file the spec names (a model, a reference), or a non-retryable error naming the
   * spec field and the file when this worker does not have it: the spec was checked where it was
   * submitted, which need not be where it runs.
   */
  static String digest(String field, String file, String allowed) throws IOException {
    if (file == null || !Files.isRegularFile(Path.of(file))) {
      throw new BadInputException(field + ": file " + file + " not found on this worker (" + allowed + ")");
    }
    return fileDigest(Path.of(file));
  }

  /** sha256 of a (possibly large) file, cached by path, size and modification time. */
  private static String fileDigest(Path file) throws IOException {
    String stamp = file.toAbsolutePath() + "|" + Files.size(file) + "|" + Files.getLastModifiedTime(file).toMillis();
    String cached = FILE_DIGESTS.get(stamp);
    if (cached != null) {
      return cached;
    }
    String digest = ArtifactStore.sha256(file);
    FILE_DIGESTS.put(stamp, digest);
    return digest;
  }
}
