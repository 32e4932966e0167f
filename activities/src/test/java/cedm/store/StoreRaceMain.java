package cedm.store;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

/** One of two processes racing for the same artifact (see ArtifactStoreTest). */
public final class StoreRaceMain {
  public static void main(String[] args) throws Exception {
    ArtifactStore store = new ArtifactStore(Path.of(args[0]));
    Path log = Path.of(args[1]);
    ObjectMapper json = new ObjectMapper();
    StageKey key = StageKey.of("race", 1, json.createObjectNode(), List.of());
    ArtifactStore.Obtained obtained = store.obtain(key, dir -> {
      Files.writeString(log, ProcessHandle.current().pid() + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
      Thread.sleep(1500);
      Files.writeString(dir.resolve("data.txt"), "from " + ProcessHandle.current().pid());
      return json.createObjectNode();
    });
    System.out.println((obtained.reused() ? "reused " : "produced ") + Files.readString(obtained.artifact().file("data.txt")).replace(' ', '_'));
  }
}
