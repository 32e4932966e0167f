package cedm.stage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.temporal.api.common.v1.Payload;
import io.temporal.common.converter.DataConverter;
import io.temporal.common.converter.DefaultDataConverter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The artifact as Temporal's default converter carries it, now and as earlier workflows recorded it. */
class EvaluationArtifactTest {
  private static final DataConverter CONVERTER = DefaultDataConverter.STANDARD_INSTANCE;

  private static EvaluationArtifact read(String json) {
    Payload payload = Payload.newBuilder().putMetadata("encoding", ByteString.copyFromUtf8("json/plain"))
        .setData(ByteString.copyFromUtf8(json)).build();
    return CONVERTER.fromPayload(payload, EvaluationArtifact.class, EvaluationArtifact.class);
  }

  @Test
  void theFidAndFddListsOfEarlierHistoriesBecomeResults() {
    EvaluationArtifact a = read("""
        {"artifactId":"e1","reused":false,"trial":"temi-C=5","proxy":true,"samplesPerSet":10,
         "fid":[30.0,32.0],"fdd":[]}""");
    assertEquals(Map.of("fid", List.of(30.0, 32.0)), a.scores(), "an empty fdd was not computed");
    assertEquals(List.of(30.0, 32.0), a.fid());
  }

  @Test
  void resultsTravelAsOneMapInTheirOrder() {
    Map<String, List<Double>> scores = new LinkedHashMap<>();
    scores.put("fid", List.of(3.0));
    scores.put("precision", List.of(0.7));
    scores.put("recall", List.of(0.6));
    EvaluationArtifact a = new EvaluationArtifact("e2", true, "kmeans-C=3", false, 50_000, scores);
    String json = CONVERTER.toPayload(a).orElseThrow().getData().toStringUtf8();
    assertTrue(json.contains("\"scores\":{\"fid\":[3.0],\"precision\":[0.7],\"recall\":[0.6]}"), json);
    assertEquals(1, json.split("\"fid\"", -1).length - 1, "fid() is a view of the map, not a field: " + json);
    EvaluationArtifact back = read(json);
    assertEquals(a, back);
    assertEquals(List.of("fid", "precision", "recall"), List.copyOf(back.scores().keySet()));
  }
}
