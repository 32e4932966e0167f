package cedm.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DeviceLedgerTest {
  @TempDir Path tmp;

  /** An attempt whose worker dies keeps the time of its last update; every attempt is its own entry. */
  @Test
  void everyAttemptIsRecordedAndAKilledOneKeepsItsTimeSoFar() throws Exception {
    DeviceLedger ledger = new ArtifactStore(tmp).ledger();
    DeviceLedger.Attempt killed = ledger.start("s1", "training", "temi-C=4", 4, "gpu", 2);
    Thread.sleep(50);
    DeviceLedger.Attempt retried = ledger.start("s1", "training", "temi-C=4", 4, "gpu", 2);
    Thread.sleep(20);
    retried.end("computed");
    ledger.start("s2", "features", "", 0, "cpu", 1).end("computed");

    List<DeviceLedger.Entry> entries = new ArtifactStore(tmp).ledger().entries("s1").stream()
        .sorted(Comparator.comparing(DeviceLedger.Entry::outcome)).toList();
    assertEquals(2, entries.size(), "the other sweep's attempt is not s1's");
    DeviceLedger.Entry done = entries.get(0);
    assertEquals("computed", done.outcome());
    assertTrue(done.seconds() >= 0.02, "its wall time: " + done.seconds());
    assertEquals(2 * done.seconds(), done.deviceSeconds(), 1e-12, "two devices");
    DeviceLedger.Entry dead = entries.get(1);
    assertEquals(DeviceLedger.RUNNING, dead.outcome(), "never ended: its worker was killed");
    assertTrue(dead.seconds() < 0.02, "written when it started, not since: " + dead.seconds());
    assertEquals(List.of(), ledger.entries("never-ran"));
    try (Stream<Path> files = Files.list(tmp.resolve("sweeps/s1/ledger"))) {
      assertTrue(files.allMatch(f -> f.toString().endsWith(".json")), "no temporary file is left by the rewrites");
    }
  }
}
