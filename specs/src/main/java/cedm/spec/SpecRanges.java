package cedm.spec;

import com.fasterxml.jackson.databind.JsonNode;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Integers that the schema admits but the spec's records cannot hold: a value past the range of
 * its field's Java type (int or long), found by walking the records the document binds to.
 */
final class SpecRanges {
  private SpecRanges() {}

  static List<SpecFinding> check(JsonNode document) {
    List<SpecFinding> findings = new ArrayList<>();
    walk(document, ExperimentSpec.class, "", findings);
    return findings;
  }

  private static void walk(JsonNode node, Type type, String pointer, List<SpecFinding> findings) {
    Class<?> raw = type instanceof ParameterizedType p ? (Class<?>) p.getRawType() : (Class<?>) type;
    if (node.isIntegralNumber()) {
      boolean isInt = raw == int.class || raw == Integer.class;
      boolean isLong = raw == long.class || raw == Long.class;
      if (isInt && !node.canConvertToInt() || isLong && !node.canConvertToLong()) {
        long max = isInt ? Integer.MAX_VALUE : Long.MAX_VALUE;
        findings.add(SpecFinding.at(pointer, "is " + node.asText() + ", outside what this field can hold",
            "an integer from " + (isInt ? Integer.MIN_VALUE : Long.MIN_VALUE) + " to " + max));
      }
    } else if (node.isArray() && type instanceof ParameterizedType p && List.class.isAssignableFrom(raw)) {
      for (int i = 0; i < node.size(); i++) {
        walk(node.get(i), p.getActualTypeArguments()[0], pointer + "/" + i, findings);
      }
    } else if (node.isObject() && raw.isRecord()) {
      for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> field = it.next();
        for (RecordComponent c : raw.getRecordComponents()) {
          if (snake(c.getName()).equals(field.getKey())) {
            walk(field.getValue(), c.getGenericType(), pointer + "/" + field.getKey(), findings);
          }
        }
      }
    }
  }

  /** {@code samplesPerSet} is {@code samples_per_set}, as the binder names it. */
  private static String snake(String camel) {
    return camel.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase(java.util.Locale.ROOT);
  }
}
