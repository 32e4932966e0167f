package cedm.store;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;

/** A finished, verified artifact in the store. */
public record Artifact(StageKey key, Path dir, Manifest manifest) {
  /** Reads metadata of any version of a stage's record: fields a record no longer has are left out. */
  private static final ObjectMapper META = new ObjectMapper()
      .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

  /** The manifest's metadata as the stage's own record type. */
  public <T> T meta(Class<T> type) throws IOException {
    return META.treeToValue(manifest.meta(), type);
  }

  public Path file(String name) {
    return dir.resolve(name);
  }

  public boolean has(String name) {
    return manifest.files().stream().anyMatch(f -> f.name().equals(name));
  }
}
