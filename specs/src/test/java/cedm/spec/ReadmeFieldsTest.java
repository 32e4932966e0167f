package cedm.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The README documents every spec field the schema defines. */
class ReadmeFieldsTest {

  @Test
  void everySchemaFieldIsInTheReadme() throws Exception {
    JsonNode schema = new ObjectMapper().readTree(Path.of("..", "specs", "cedm-spec.schema.json").toFile());
    String readme = Files.readString(Path.of("..", "README.md"));
    List<String> missing = new ArrayList<>();
    collect(schema, "", readme, missing);
    assertEquals(List.of(), missing, "fields not documented in README.md");
  }

  private static void collect(JsonNode schema, String prefix, String readme, List<String> missing) {
    for (var it = schema.path("properties").fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> field = it.next();
      String path = prefix + field.getKey();
      if (!readme.contains("`" + path + "`")) {
        missing.add(path);
      }
      collect(field.getValue(), path + ".", readme, missing);
    }
  }
}
