package cedm.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFileTest {
  @TempDir Path tmp;

  private List<String> names() throws IOException {
    try (Stream<Path> s = Files.list(tmp)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  /** A failed write leaves the old content; the next one replaces it and the failed one's temporary file. */
  @Test
  void createsThenReplacesTheFileAndAFailedWriteChangesNothing() throws Exception {
    Path target = tmp.resolve("state.json");
    AtomicFile.write(target, f -> Files.writeString(f, "first"));
    assertEquals("first", Files.readString(target));
    IOException e = assertThrows(IOException.class, () -> AtomicFile.write(target, f -> {
      Files.writeString(f, "half");
      throw new IOException("No space left on device");
    }));
    assertEquals("No space left on device", e.getMessage());
    assertEquals("first", Files.readString(target));
    AtomicFile.write(target, f -> Files.writeString(f, "second"));
    assertEquals("second", Files.readString(target));
    assertEquals(List.of("state.json"), names());
  }

  @Test
  void renameReplacesAFileAtTheTarget() throws Exception {
    Path from = Files.writeString(tmp.resolve("new"), "new");
    Path to = Files.writeString(tmp.resolve("old"), "old");
    AtomicFile.rename(from, to);
    assertEquals("new", Files.readString(to));
    assertEquals(List.of("old"), names());
  }
}
