package cedm.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import cedm.workflow.Probe;
import java.util.List;
import org.junit.jupiter.api.Test;

class StatusViewTest {
  @Test
  void evidenceTableListsEveryProbeInOrder() {
    List<String> lines = StatusView.evidence(List.of(new Probe(400, 0.978, 391, 0.12, -0.5, "abc", true),
        new Probe(800, 0.926, 741, 0.2, -0.4, "def", false)), 400);
    assertEquals(List.of(
        "C_max search: C_max = 400",
        "       C     r_C   used      KL       loss  artifact",
        "     400   0.978    391   0.120    -0.5000  clustering/abc (reused)",
        "     800   0.926    741   0.200    -0.4000  clustering/def"), lines);
  }
}
