package cedm.workflow;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The status as people read it, and as a client reads the answers of workers from before the phase was an enum. */
class SweepStatusTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void eachPhaseReadsAsItDidWhenItWasText() {
    List<StageReport> stages = List.of(new StageReport("dataset", StageState.DONE, "d", false, 1, ""),
        new StageReport("knn", StageState.FAILED, null, false, 1, "no features"));
    assertEquals("failed in knn", new SweepStatus("s", SweepPhase.FAILED, stages, null, List.of(), List.of(), List.of())
        .describePhase());
    assertEquals("grid", new SweepStatus("s", SweepPhase.GRID, stages, null, List.of(), List.of(), List.of())
        .describePhase());
    assertEquals("ended without a result: cancelled", new SweepStatus("s", SweepPhase.ENDED, "cancelled", List.of(), null,
        List.of(), List.of(), List.of()).describePhase());
  }

  @Test
  void anOlderWorkersFailedPhaseReadsAsFailedInItsStage() throws Exception {
    SweepStatus old = JSON.readValue("""
        {"sweepId": "s", "phase": "failed in knn", "cMax": null, "evidence": [], "trials": [], "rungs": [],
         "stages": [{"stage": "knn", "state": "FAILED", "artifactId": null, "reused": false, "seconds": 1,
                     "summary": "no features"}]}
        """, SweepStatus.class);
    assertEquals(SweepPhase.FAILED, old.phase());
    assertEquals("failed in knn", old.describePhase());
    assertEquals(SweepPhase.GRID, JSON.readValue("{\"sweepId\": \"s\", \"phase\": \"grid\"}", SweepStatus.class).phase());
  }
}
