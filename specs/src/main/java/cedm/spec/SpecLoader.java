package cedm.spec;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Reads a YAML experiment spec: schema validation, defaults, path resolution, cross-field checks.
 * Every problem in the file is reported at once, each with its line and column.
 */
public final class SpecLoader {
  /** Fields holding file paths, resolved against the spec file's directory: each encoder's model among them. */
  static final List<String> PATH_FIELDS = Stream.concat(
      Stream.of("/dataset/path", "/features/model", "/evaluation/fid_reference"),
      Arrays.stream(EvaluationSpec.Encoder.values()).map(e -> "/" + e.modelField().replace('.', '/'))).toList();

  private static final SpecSchema SCHEMA = SpecSchema.load();
  /** A key given twice is an error, not a silent "the last one wins". */
  private static final YAMLMapper YAML = YAMLMapper.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();
  private static final ObjectMapper BINDER = new ObjectMapper()
      .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
      .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);

  private SpecLoader() {}

  /** Loads and checks the spec at {@code file}; throws with every problem found. */
  public static LoadedSpec load(Path file) throws SpecException {
    String name = file.toString();
    String yaml;
    try {
      yaml = Files.readString(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw single(name, 1, 1, "", "spec file not found", null);
    } catch (MalformedInputException e) {
      throw notUtf8(name, file);
    } catch (IOException e) {
      throw single(name, 1, 1, "", "cannot read the spec file: " + e.getMessage(), null);
    }
    return parse(name, yaml, file.toAbsolutePath().getParent());
  }

  /** Checks {@code yaml} as if it were the file {@code name} in {@code baseDir}. */
  public static LoadedSpec parse(String name, String yaml, Path baseDir) throws SpecException {
    JsonNode document;
    YamlLocations locations;
    try {
      document = YAML.readTree(yaml);
      locations = YamlLocations.of(yaml);
    } catch (JsonProcessingException e) {
      JsonLocation at = e.getLocation();
      String message = e.getOriginalMessage().lines().findFirst().orElse("");
      throw single(name, at == null ? 1 : at.getLineNr(), at == null ? 1 : at.getColumnNr(), "",
          message.startsWith("Duplicate field") ? message.replace("Duplicate field", "duplicated key")
              + ": YAML would keep only its last value" : "not valid YAML: " + message,
          message.startsWith("Duplicate field") ? "each key once per mapping" : null);
    } catch (IOException e) {
      throw single(name, 1, 1, "", "not valid YAML: " + e.getMessage(), null);
    }
    if (!(document instanceof ObjectNode)) {
      throw single(name, 1, 1, "", "the spec must be a mapping of fields",
          "a YAML mapping with the fields name, dataset, features, ...");
    }
    SCHEMA.fillDefaults(document);
    List<SpecFinding> findings = new ArrayList<>(SCHEMA.validate(document));
    resolvePaths((ObjectNode) document, baseDir);
    findings.addAll(SpecChecks.check(document));
    findings.addAll(SpecRanges.check(document));
    List<SpecProblem> problems = new ArrayList<>(findings.stream().map(f -> f.in(locations)).toList());
    if (problems.isEmpty()) {
      return new LoadedSpec(bind(name, document), SpecDigest.of(document), yaml);
    }
    problems.sort(Comparator.comparingInt(SpecProblem::line).thenComparingInt(SpecProblem::column)
        .thenComparing(SpecProblem::field));
    throw new SpecException(name, problems);
  }

  /** Where the first byte that is not UTF-8 is, as line and column. */
  private static SpecException notUtf8(String name, Path file) {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (IOException e) {
      return single(name, 1, 1, "", "cannot read the spec file: " + e.getMessage(), null);
    }
    CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder();
    ByteBuffer in = ByteBuffer.wrap(bytes);
    CharBuffer out = CharBuffer.allocate(bytes.length);
    decoder.decode(in, out, true);
    int bad = in.position();
    int line = 1;
    int column = 1;
    for (int i = 0; i < out.position(); i++) {
      if (out.get(i) == '\n') {
        line++;
        column = 1;
      } else {
        column++;
      }
    }
    return single(name, line, column, "", String.format("not UTF-8 text: byte 0x%02X at offset %d", bytes[bad] & 0xff,
        bad), "a UTF-8 file (save the spec as UTF-8)");
  }

  private static ExperimentSpec bind(String name, JsonNode document) throws SpecException {
    try {
      return BINDER.treeToValue(document, ExperimentSpec.class);
    } catch (JsonProcessingException e) {
      // The schema admits only what the records accept, so this is a defect in cedm, not the spec.
      throw new IllegalStateException("schema and spec records disagree on " + name, e);
    }
  }

  private static void resolvePaths(ObjectNode document, Path baseDir) {
    for (String pointer : PATH_FIELDS) {
      JsonNode value = document.at(pointer);
      if (value.isTextual() && !value.asText().isEmpty()) {
        int slash = pointer.lastIndexOf('/');
        ObjectNode parent = (ObjectNode) document.at(pointer.substring(0, slash));
        Path resolved = baseDir.resolve(value.asText()).normalize();
        parent.put(pointer.substring(slash + 1), resolved.toString());
      }
    }
  }

  /** {@code /grid/points/1} becomes {@code grid.points[1]}. */
  static String dotted(String pointer) {
    StringBuilder out = new StringBuilder();
    for (String part : pointer.isEmpty() ? new String[0] : pointer.substring(1).split("/")) {
      if (part.chars().allMatch(Character::isDigit) && !part.isEmpty()) {
        out.append('[').append(part).append(']');
      } else {
        out.append(out.length() == 0 ? "" : ".").append(part);
      }
    }
    return out.toString();
  }

  private static SpecException single(String file, int line, int col, String field, String message, String allowed) {
    return new SpecException(file, List.of(new SpecProblem(line, col, field, message, allowed)));
  }
}
