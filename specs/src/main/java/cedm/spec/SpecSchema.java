package cedm.spec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonNodePath;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

/**
 * The spec's JSON Schema ({@code specs/cedm-spec.schema.json}): the single source of field names,
 * types, ranges and defaults, used for validation, for filling in defaults and for the "allowed"
 * part of error messages.
 */
final class SpecSchema {
  private static final String RESOURCE = "/cedm/spec/cedm-spec.schema.json";

  private final JsonNode root;
  private final JsonSchema validator;

  private SpecSchema(JsonNode root) {
    this.root = root;
    this.validator =
        JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(root);
  }

  static SpecSchema load() {
    try (InputStream in = SpecSchema.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("spec schema missing from the classpath: " + RESOURCE);
      }
      return new SpecSchema(new ObjectMapper().readTree(in));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Inserts the schema's defaults for every absent field, recursively into objects. */
  void fillDefaults(JsonNode document) {
    fill(root, document);
  }

  private static void fill(JsonNode schema, JsonNode node) {
    if (!(node instanceof ObjectNode object)) {
      return;
    }
    JsonNode properties = schema.path("properties");
    for (Iterator<Map.Entry<String, JsonNode>> it = properties.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> property = it.next();
      JsonNode fieldSchema = property.getValue();
      if (!object.has(property.getKey()) && fieldSchema.has("default")) {
        object.set(property.getKey(), fieldSchema.get("default").deepCopy());
      }
      if (object.has(property.getKey())) {
        fill(fieldSchema, object.get(property.getKey()));
      }
    }
  }

  /** Schema violations, one per field: a wrong type hides the range checks on the same value. */
  List<SpecFinding> validate(JsonNode document) {
    Map<String, SpecFinding> byField = new LinkedHashMap<>();
    for (ValidationMessage message : validator.validate(document)) {
      SpecFinding v = explain(message, document);
      byField.merge(v.pointer(), v, (a, b) -> b.message().startsWith("wrong type") ? b : a);
    }
    return new ArrayList<>(byField.values());
  }

  private SpecFinding explain(ValidationMessage message, JsonNode document) {
    String pointer = pointer(message.getInstanceLocation());
    String keyword = message.getType();
    JsonNode fieldSchema = schemaAt(pointer);
    String value = shown(document.at(pointer));
    return switch (keyword) {
      case "additionalProperties" -> {
        String name = message.getProperty();
        String guess = closest(name, fieldSchema);
        yield new SpecFinding(pointer + "/" + name, true,
            "unknown field" + (guess == null ? "" : " (did you mean '" + guess + "'?)"),
            "the fields " + fieldNames(fieldSchema));
      }
      case "required" -> {
        String name = message.getProperty();
        JsonNode required = fieldSchema.path("properties").path(name);
        yield new SpecFinding(pointer + "/" + name, false, "missing required field", describe(required));
      }
      case "type" -> new SpecFinding(pointer, false, "wrong type: " + value, describe(fieldSchema));
      case "enum" -> new SpecFinding(pointer, false, "unknown value " + value, describe(fieldSchema));
      case "minItems", "maxItems" -> new SpecFinding(pointer, false,
          "has " + document.at(pointer).size() + " entries", describe(fieldSchema));
      case "uniqueItems" -> new SpecFinding(pointer, false, "entries repeat: " + value, describe(fieldSchema));
      case "pattern", "minLength" -> new SpecFinding(pointer, false, "not a valid value: " + value, describe(fieldSchema));
      default -> new SpecFinding(pointer, false, "out of range: " + value, describe(fieldSchema));
    };
  }

  /** A value as the user would recognise it, with its YAML kind when that is the problem. */
  private static String shown(JsonNode node) {
    String kind = node.isTextual() ? "text" : node.isBoolean() ? "boolean" : node.isArray() ? "list"
        : node.isObject() ? "mapping" : node.isNull() ? "null" : node.isIntegralNumber() ? "integer" : "number";
    String text = node.isContainerNode() ? "" : node.isTextual() ? "'" + node.asText() + "' " : node.asText() + " ";
    return node.isArray() && node.size() <= 8 ? node + " (list)" : text + "(" + kind + ")";
  }

  /** The field name nearest to a misspelt one, if it is a likely typo. */
  private static String closest(String name, JsonNode schema) {
    String best = null;
    int bestDistance = 3;
    for (Iterator<String> it = schema.path("properties").fieldNames(); it.hasNext(); ) {
      String candidate = it.next();
      int d = editDistance(name, candidate);
      if (d < bestDistance) {
        best = candidate;
        bestDistance = d;
      }
    }
    return best;
  }

  private static int editDistance(String a, String b) {
    int[] row = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      row[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      int diagonal = row[0];
      row[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int above = row[j];
        row[j] = Math.min(Math.min(row[j] + 1, row[j - 1] + 1), diagonal + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1));
        diagonal = above;
      }
    }
    return row[b.length()];
  }

  private static String pointer(JsonNodePath path) {
    StringBuilder pointer = new StringBuilder();
    for (int i = 0; i < path.getNameCount(); i++) {
      pointer.append('/').append(path.getElement(i));
    }
    return pointer.toString();
  }

  /** The schema of the field at {@code pointer}, following properties and items. */
  JsonNode schemaAt(String pointer) {
    JsonNode schema = root;
    if (pointer.isEmpty()) {
      return schema;
    }
    for (String part : pointer.substring(1).split("/")) {
      schema = part.chars().allMatch(Character::isDigit) && schema.has("items")
          ? schema.get("items")
          : schema.path("properties").path(part);
    }
    return schema;
  }

  private static String fieldNames(JsonNode schema) {
    StringJoiner names = new StringJoiner(", ");
    schema.path("properties").fieldNames().forEachRemaining(names::add);
    return names.toString();
  }

  /** Human text for what a schema accepts: "number > 0.5 and <= 1", "one of: temi, kmeans". */
  static String describe(JsonNode schema) {
    if (schema.has("enum")) {
      StringJoiner values = new StringJoiner(", ", "one of: ", "");
      schema.get("enum").forEach(v -> values.add(v.asText()));
      return values.toString();
    }
    List<String> types = new ArrayList<>();
    schema.path("type").forEach(t -> types.add(t.asText()));
    if (schema.path("type").isTextual()) {
      types.add(schema.get("type").asText());
    }
    boolean nullable = types.remove("null");
    String kind = types.isEmpty() ? "a value" : types.get(0);
    String text = switch (kind) {
      case "array" -> {
        String items = describe(schema.path("items"));
        String count = schema.has("minItems") && schema.path("minItems").equals(schema.path("maxItems"))
            ? "exactly " + schema.get("minItems").asInt() + " "
            : schema.has("minItems") ? "at least " + schema.get("minItems").asInt() + " " : "";
        String unique = schema.path("uniqueItems").asBoolean() ? ", no repeats" : "";
        yield "a list of " + count + "entries, each " + items + unique;
      }
      case "object" -> "a mapping with the fields " + fieldNames(schema);
      case "string" -> schema.has("pattern")
          ? "text matching " + schema.get("pattern").asText()
          : "text";
      default -> kind + bounds(schema);
    };
    return nullable ? text + ", or null" : text;
  }

  private static String bounds(JsonNode schema) {
    List<String> parts = new ArrayList<>();
    if (schema.has("minimum")) {
      parts.add(">= " + schema.get("minimum").asText());
    }
    if (schema.has("exclusiveMinimum")) {
      parts.add("> " + schema.get("exclusiveMinimum").asText());
    }
    if (schema.has("maximum")) {
      parts.add("<= " + schema.get("maximum").asText());
    }
    if (schema.has("exclusiveMaximum")) {
      parts.add("< " + schema.get("exclusiveMaximum").asText());
    }
    return parts.isEmpty() ? "" : " " + String.join(" and ", parts);
  }
}
