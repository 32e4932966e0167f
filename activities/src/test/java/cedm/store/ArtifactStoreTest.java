package cedm.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cedm.io.ChildJvm;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ArtifactStoreTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path root;

  private static StageKey key(String value) {
    ObjectNode section = JSON.createObjectNode().put("value", value);
    return StageKey.of("test", 1, section, List.of("input-a"));
  }

  private static Producer writing(String content, AtomicInteger calls) {
    return dir -> {
      calls.incrementAndGet();
      Files.writeString(dir.resolve("data.txt"), content);
      Files.createDirectories(dir.resolve("sub"));
      Files.writeString(dir.resolve("sub/more.txt"), content + content);
      return JSON.createObjectNode().put("length", content.length());
    };
  }

  @Test
  void idDependsOnStageVersionSectionAndInputs() {
    ObjectNode section = JSON.createObjectNode().put("c", 100);
    String id = StageKey.of("temi", 1, section, List.of("knn1")).id();
    assertEquals(id, StageKey.of("temi", 1, section.deepCopy(), List.of("knn1")).id());
    assertNotEquals(id, StageKey.of("kmeans", 1, section, List.of("knn1")).id());
    assertNotEquals(id, StageKey.of("temi", 2, section, List.of("knn1")).id());
    assertNotEquals(id, StageKey.of("temi", 1, JSON.createObjectNode().put("c", 200), List.of("knn1")).id());
    assertNotEquals(id, StageKey.of("temi", 1, section, List.of("knn2")).id());
  }

  @Test
  void producesOnceThenReuses() throws Exception {
    ArtifactStore store = new ArtifactStore(root);
    AtomicInteger calls = new AtomicInteger();
    ArtifactStore.Obtained first = store.obtain(key("a"), writing("hello", calls));
    ArtifactStore.Obtained second = new ArtifactStore(root).obtain(key("a"), writing("other", calls));
    assertFalse(first.reused());
    assertTrue(second.reused());
    assertEquals(1, calls.get());
    assertEquals("hello", Files.readString(second.artifact().file("data.txt")));
    assertEquals("hellohello", Files.readString(second.artifact().file("sub/more.txt")));
    assertEquals(5, second.artifact().manifest().meta().get("length").asInt());
    assertEquals(List.of("data.txt", "sub/more.txt"),
        second.artifact().manifest().files().stream().map(Manifest.FileEntry::name).toList());
    assertTrue(emptyDir(root.resolve("staging")));
  }

  @Test
  void aFlippedByteMakesTheArtifactAbsentAndItIsRecomputed() throws Exception {
    ArtifactStore store = new ArtifactStore(root);
    AtomicInteger calls = new AtomicInteger();
    Artifact artifact = store.obtain(key("a"), writing("hello", calls)).artifact();
    try (RandomAccessFile f = new RandomAccessFile(artifact.file("data.txt").toFile(), "rw")) {
      f.seek(1);
      f.write('X');
    }
    ArtifactStore fresh = new ArtifactStore(root);
    assertTrue(fresh.find(key("a")).isEmpty());
    ArtifactStore.Obtained again = fresh.obtain(key("a"), writing("hello", calls));
    assertFalse(again.reused());
    assertEquals(2, calls.get());
    assertEquals("hello", Files.readString(again.artifact().file("data.txt")));
    assertTrue(emptyDir(root.resolve("trash")));
  }

  @Test
  void aTruncatedFileOrMissingManifestIsAbsent() throws Exception {
    ArtifactStore store = new ArtifactStore(root);
    Artifact a = store.obtain(key("a"), writing("hello", new AtomicInteger())).artifact();
    Artifact b = store.obtain(key("b"), writing("hello", new AtomicInteger())).artifact();
    Files.writeString(a.file("sub/more.txt"), "hello");
    Files.delete(b.file(Manifest.FILE));
    assertTrue(store.find(key("a")).isEmpty());
    assertTrue(store.find(key("b")).isEmpty());
  }

  @Test
  void stagingLeftByAKilledProcessIsRemovedWhenTheKeyIsProducedAgain() throws Exception {
    ArtifactStore store = new ArtifactStore(root);
    Path abandoned = root.resolve("staging").resolve(key("a").name() + "-0f3e2c1a-dead-4bad-8000-000000000000");
    Files.createDirectories(abandoned);
    Files.writeString(abandoned.resolve("partial.txt"), "half");
    Path otherKey = Files.createDirectories(root.resolve("staging").resolve(key("b").name() + "-1"));
    store.obtain(key("a"), writing("x", new AtomicInteger()));
    assertFalse(Files.exists(abandoned));
    assertTrue(Files.exists(otherKey), "another key's staging may be in use by its producer");
  }

  @Test
  void aFailingProducerLeavesNothingBehind() throws Exception {
    ArtifactStore store = new ArtifactStore(root);
    IOException failure = assertThrows(IOException.class, () -> store.obtain(key("a"), dir -> {
      Files.writeString(dir.resolve("partial.txt"), "half");
      throw new IOException("disk full");
    }));
    assertEquals("disk full", failure.getMessage());
    assertTrue(store.find(key("a")).isEmpty());
    assertFalse(Files.exists(store.artifactDir(key("a"))));
    assertTrue(emptyDir(root.resolve("staging")));
  }

  @Test
  void twoThreadsRacingProduceOnce() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    Producer slow = dir -> {
      calls.incrementAndGet();
      Thread.sleep(300);
      Files.writeString(dir.resolve("data.txt"), "raced");
      return JSON.createObjectNode();
    };
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<ArtifactStore.Obtained>> results = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        Callable<ArtifactStore.Obtained> task = () -> new ArtifactStore(root).obtain(key("race"), slow);
        results.add(pool.submit(task));
      }
      int produced = 0;
      for (Future<ArtifactStore.Obtained> r : results) {
        produced += r.get().reused() ? 0 : 1;
        assertEquals("raced", Files.readString(r.get().artifact().file("data.txt")));
      }
      assertEquals(1, produced);
      assertEquals(1, calls.get());
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void twoProcessesRacingProduceOnce() throws Exception {
    Path log = root.resolve("producers.log");
    List<Process> processes = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      processes.add(ChildJvm.of(StoreRaceMain.class, root.resolve("store").toString(), log.toString()).start());
    }
    List<String> outputs = new ArrayList<>();
    for (Process p : processes) {
      ChildJvm.Ended child = ChildJvm.await(p, Duration.ofMinutes(2));
      assertEquals(0, child.exitCode(), child.output());
      outputs.add(child.lastLine());
    }
    assertEquals(1, Files.readAllLines(log).size(), "exactly one process produced the artifact");
    assertEquals(1, outputs.stream().filter(o -> o.startsWith("produced")).count(), outputs.toString());
    assertEquals(1, outputs.stream().filter(o -> o.startsWith("reused")).count(), outputs.toString());
    assertArrayEquals(new String[] {outputs.get(0).split(" ")[1]}, new String[] {outputs.get(1).split(" ")[1]});
  }

  private static boolean emptyDir(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.findAny().isEmpty();
    }
  }
}
