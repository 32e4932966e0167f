package cedm.store;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * Written last into an artifact: what it is and what its files must be. An artifact without a
 * manifest, or whose files differ from it, does not exist.
 */
public record Manifest(
    String stage, int version, String id, String created, List<FileEntry> files, JsonNode meta) {

  public record FileEntry(String name, long size, String sha256) {}

  public static final String FILE = "manifest.json";

  /** sha256 over the files' digests in name order: changes iff any file's content changes. */
  public String contentDigest() {
    StringBuilder all = new StringBuilder();
    files.stream().sorted(java.util.Comparator.comparing(FileEntry::name))
        .forEach(f -> all.append(f.name()).append(':').append(f.sha256()).append('\n'));
    return cedm.spec.SpecDigest.sha256(all.toString());
  }
}
