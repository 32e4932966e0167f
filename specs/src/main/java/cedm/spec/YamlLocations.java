package cedm.spec;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

/** Line and column of every key and value in a YAML document, by JSON pointer. */
final class YamlLocations {
  private final Map<String, int[]> values = new HashMap<>();
  private final Map<String, int[]> keys = new HashMap<>();

  static YamlLocations of(String yaml) throws IOException {
    YamlLocations locations = new YamlLocations();
    try (JsonParser parser = new YAMLFactory().createParser(yaml)) {
      JsonToken token;
      while ((token = parser.nextToken()) != null) {
        JsonStreamContext context = parser.getParsingContext();
        int[] at = at(parser.currentTokenLocation());
        if (token == JsonToken.FIELD_NAME) {
          locations.keys.put(context.pathAsPointer().toString(), at);
        } else if (token.isStructStart()) {
          locations.values.putIfAbsent(context.getParent().pathAsPointer().toString(), at);
        } else if (!token.isStructEnd()) {
          locations.values.put(context.pathAsPointer().toString(), at);
        }
      }
    }
    return locations;
  }

  private static int[] at(JsonLocation location) {
    return new int[] {Math.max(1, location.getLineNr()), Math.max(1, location.getColumnNr())};
  }

  /** Where the value at {@code pointer} starts, or its nearest located ancestor. */
  int[] value(String pointer) {
    for (String p = pointer; ; p = parent(p)) {
      int[] at = values.get(p);
      if (at != null) {
        return at;
      }
      if (p.isEmpty()) {
        return new int[] {1, 1};
      }
    }
  }

  /** Where the key of {@code pointer} is written, falling back to its value. */
  int[] key(String pointer) {
    int[] at = keys.get(pointer);
    return at != null ? at : value(pointer);
  }

  private static String parent(String pointer) {
    int slash = pointer.lastIndexOf('/');
    return slash <= 0 ? "" : pointer.substring(0, slash);
  }
}
