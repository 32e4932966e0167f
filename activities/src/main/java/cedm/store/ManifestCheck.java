package cedm.store;

import cedm.io.AtomicFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * What a manifest records of a directory's files (size and sha256), and the check that the
 * directory still holds exactly that: artifacts and checkpoints are both trusted only this way.
 */
final class ManifestCheck {
  private ManifestCheck() {}

  /** An entry for every file under {@code dir}, in name order, each synced to disk first. */
  static List<Manifest.FileEntry> entries(Path dir) throws IOException {
    List<Path> files;
    try (Stream<Path> walk = Files.walk(dir)) {
      files = walk.filter(Files::isRegularFile).sorted().toList();
    }
    List<Manifest.FileEntry> entries = new ArrayList<>();
    for (Path file : files) {
      AtomicFile.fsync(file);
      String name = dir.relativize(file).toString().replace('\\', '/');
      entries.add(new Manifest.FileEntry(name, Files.size(file), ArtifactStore.sha256(file)));
    }
    return entries;
  }

  /** Null if every entry's file under {@code dir} matches it, else what differs, naming the file. */
  static String problem(Path dir, List<Manifest.FileEntry> entries) throws IOException {
    for (Manifest.FileEntry entry : entries) {
      Path file = dir.resolve(entry.name());
      if (!Files.isRegularFile(file)) {
        return entry.name() + " is missing";
      }
      long size = Files.size(file);
      if (size != entry.size()) {
        return entry.name() + " has " + size + " bytes, the manifest says " + entry.size();
      }
      if (!ArtifactStore.sha256(file).equals(entry.sha256())) {
        return entry.name() + " does not match its sha256";
      }
    }
    return null;
  }
}
