package cedm.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cedm.io.BadInputException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointsTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  @TempDir Path tmp;

  private static Checkpoints.Checkpoint save(Checkpoints c, long step) throws IOException {
    return c.save(step, JSON.createObjectNode().put("step", step), dir -> Files.writeString(dir.resolve("state.bin"), "state " + step));
  }

  @Test
  void keepsTheNewestAndFallsBackFromACorruptOne() throws Exception {
    Checkpoints c = new Checkpoints(tmp, 2);
    save(c, 1);
    save(c, 2);
    Checkpoints.Checkpoint newest = save(c, 3);
    try (Stream<Path> s = Files.list(tmp)) {
      assertEquals(2, s.filter(p -> p.getFileName().toString().startsWith("ckpt-")).count(), "only the newest 2 kept");
    }
    assertEquals(3, c.latest().orElseThrow().step());
    Files.writeString(newest.dir().resolve("state.bin"), "state 9");
    Checkpoints.Checkpoint fallback = c.latest().orElseThrow();
    assertEquals(2, fallback.step());
    assertEquals("state 2", Files.readString(fallback.dir().resolve("state.bin")));
    assertEquals(2, fallback.meta().get("step").asInt());
  }

  @Test
  void aFailedWriteLeavesThePreviousCheckpointValid() throws Exception {
    Checkpoints c = new Checkpoints(tmp, 3);
    save(c, 1);
    try {
      c.save(2, JSON.createObjectNode(), dir -> {
        Files.writeString(dir.resolve("state.bin"), "half");
        throw new IOException("No space left on device");
      });
    } catch (IOException expected) {
      assertEquals("No space left on device", expected.getMessage());
    }
    assertEquals(1, c.latest().orElseThrow().step());
    try (Stream<Path> s = Files.list(tmp)) {
      assertTrue(s.noneMatch(p -> p.getFileName().toString().startsWith(".tmp")), "no temporary directory left");
    }
  }

  @Test
  void aCheckpointItsReaderCannotReadIsSkippedAndRemovedLikeACorruptOne() throws Exception {
    Checkpoints c = new Checkpoints(tmp, 3);
    save(c, 1);
    save(c, 2);
    c.save(3, JSON.createObjectNode(), dir -> Files.writeString(dir.resolve("older-layout.npy"), "state 3"));
    assertEquals("state 2", c.restore(cp -> Files.readString(cp.dir().resolve("state.bin"))).orElseThrow());
    assertEquals(2, checkpointDirs(), "removed, or pruning would keep it and delete the checkpoints saved next");
    IOException diskError = assertThrows(IOException.class, () -> c.restore(cp -> {
      throw new IOException("Input/output error");
    }));
    assertEquals("Input/output error", diskError.getMessage(), "a failing disk is not a reason to start afresh");
    assertEquals(2, checkpointDirs(), "nor to remove a checkpoint");
    assertEquals(Optional.empty(), c.restore(cp -> {
      throw new BadInputException(cp.dir() + ": no tensor w1");
    }));
  }

  private long checkpointDirs() throws IOException {
    try (var dirs = Files.list(tmp)) {
      return dirs.filter(p -> p.getFileName().toString().startsWith("ckpt-")).count();
    }
  }
}
