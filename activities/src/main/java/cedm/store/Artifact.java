package cedm.store;

import java.nio.file.Path;

/** A finished, verified artifact in the store. */
public record Artifact(StageKey key, Path dir, Manifest manifest) {

  public Path file(String name) {
    return dir.resolve(name);
  }

  public boolean has(String name) {
    return manifest.files().stream().anyMatch(f -> f.name().equals(name));
  }
}
