package cedm.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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

  /** Two submissions of one spec write its record at once: neither loses the shared temporary file to the other. */
  @Test
  void threadsWritingOneFileTakeTurns() throws Exception {
    Path target = tmp.resolve("spec.yaml");
    java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(2);
    try {
      List<java.util.concurrent.Future<?>> writers = new java.util.ArrayList<>();
      for (int w = 0; w < 2; w++) {
        String text = "writer " + w;
        writers.add(pool.submit(() -> {
          for (int i = 0; i < 200; i++) {
            AtomicFile.write(target, f -> Files.writeString(f, text));
          }
          return null;
        }));
      }
      for (java.util.concurrent.Future<?> writer : writers) {
        writer.get();
      }
    } finally {
      pool.shutdown();
    }
    assertTrue(Files.readString(target).startsWith("writer "));
    assertEquals(List.of("spec.yaml"), names());
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
