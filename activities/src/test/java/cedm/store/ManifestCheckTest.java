package cedm.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ManifestCheckTest {
  @TempDir Path dir;
  List<Manifest.FileEntry> entries;

  @BeforeEach
  void twoFiles() throws Exception {
    Files.writeString(dir.resolve("a.bin"), "alpha");
    Files.writeString(Files.createDirectories(dir.resolve("sub")).resolve("b.bin"), "beta");
    entries = ManifestCheck.entries(dir);
  }

  @Test
  void recordsEveryFileByRelativeNameSizeAndDigest() throws Exception {
    assertEquals(List.of("a.bin", "sub/b.bin"), entries.stream().map(Manifest.FileEntry::name).toList());
    assertEquals(5, entries.get(0).size());
    assertEquals(ArtifactStore.sha256(dir.resolve("a.bin")), entries.get(0).sha256());
    assertNull(ManifestCheck.problem(dir, entries));
  }

  @Test
  void namesTheFileThatIsMissingResizedOrChanged() throws Exception {
    Files.writeString(dir.resolve("sub/b.bin"), "bete");
    assertEquals("sub/b.bin does not match its sha256", ManifestCheck.problem(dir, entries));
    Files.writeString(dir.resolve("a.bin"), "alphabet");
    assertEquals("a.bin has 8 bytes, the manifest says 5", ManifestCheck.problem(dir, entries));
    Files.delete(dir.resolve("a.bin"));
    assertEquals("a.bin is missing", ManifestCheck.problem(dir, entries));
  }
}
