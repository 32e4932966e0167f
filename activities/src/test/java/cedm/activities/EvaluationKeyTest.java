package cedm.activities;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import cedm.spec.EvaluationSpec;
import cedm.spec.SpecLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The evaluation's artifact id from its inputs, pinned without training anything: the demo run
 * pins the other stages' ids, but an evaluation's also digests the trained model's float bits,
 * which differ from one CPU to another (a Zen 4 EPYC's trainings differ from a Zen 5's).
 */
class EvaluationKeyTest {
  private static final Path DEMO = Path.of("..", "specs", "demo.yaml");
  private static final String MODELS = "inception=builtin;dinov2=builtin;";
  private static final String TRAINED = "5f".repeat(32);

  private static String id(String yaml) throws Exception {
    EvaluationSpec e = SpecLoader.parse("demo.yaml", yaml, DEMO.getParent()).spec().evaluation();
    return EvaluationActivitiesImpl.key(e, MODELS, TRAINED, "06da4ae3ffa2068f714bb415", "82630d7fea3d3e620fd03922")
        .id();
  }

  @Test
  void theDemosEvaluationKeyIsTheCommittedOneAndTheEncoderBatchIsNotInIt() throws Exception {
    String demo = Files.readString(DEMO);
    String id = id(demo);
    assertEquals("0a5421010cc739df9a806dc7", id, "the id 116915c gives for the same inputs");
    assertEquals(id, id(demo.replace("  steps: 10\n", "  steps: 10\n  encoder_batch: 7\n")), "float rounding only");
    assertNotEquals(id, id(demo.replace("  steps: 10\n", "  steps: 12\n")), "other samples");
  }
}
