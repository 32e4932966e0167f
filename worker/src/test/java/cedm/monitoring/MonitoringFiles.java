package cedm.monitoring;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** The shipped monitoring folder as tests read it: dashboard panels, variables and alert rules. */
public final class MonitoringFiles {
  public static final Path DIR = Path.of("..", "monitoring");
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final Pattern LABEL_VALUES = Pattern.compile("label_values\\((.+),\\s*(\\w+)\\)");

  private MonitoringFiles() {}

  /** A dashboard panel and the PromQL of its queries, with Grafana's variables still in. */
  public record Panel(String dashboard, String title, String type, List<String> exprs) {}

  /** A dashboard variable filled from {@code label} of the series {@code selector} selects. */
  public record Variable(String dashboard, String name, String selector, String label) {}

  /** An alerting rule; {@code pending} is its {@code for}: how long the expression must hold before it fires. */
  public record Rule(String name, String expr, Duration pending) {}

  public static List<Path> dashboards() throws IOException {
    try (Stream<Path> files = Files.list(DIR.resolve("grafana").resolve("dashboards"))) {
      return files.filter(f -> f.toString().endsWith(".json")).sorted().toList();
    }
  }

  public static List<Panel> panels() throws IOException {
    List<Panel> panels = new ArrayList<>();
    for (Path file : dashboards()) {
      JsonNode d = JSON.readTree(file.toFile());
      for (JsonNode p : d.get("panels")) {
        List<String> exprs = new ArrayList<>();
        p.get("targets").forEach(t -> exprs.add(t.get("expr").asText()));
        panels.add(new Panel(d.get("title").asText(), p.get("title").asText(), p.get("type").asText(), exprs));
      }
    }
    return panels;
  }

  public static List<Variable> variables() throws IOException {
    List<Variable> variables = new ArrayList<>();
    for (Path file : dashboards()) {
      JsonNode d = JSON.readTree(file.toFile());
      for (JsonNode v : d.at("/templating/list")) {
        Matcher m = LABEL_VALUES.matcher(v.at("/query/query").asText());
        if (!m.matches()) {
          throw new IllegalStateException(file + ": variable " + v.get("name") + " is not label_values(selector, label)");
        }
        variables.add(new Variable(d.get("title").asText(), v.get("name").asText(), m.group(1), m.group(2)));
      }
    }
    return variables;
  }

  public static List<Rule> rules() throws IOException {
    List<Rule> rules = new ArrayList<>();
    for (JsonNode group : YAML.readTree(DIR.resolve("alerts.yml").toFile()).get("groups")) {
      group.get("rules").forEach(r -> rules.add(new Rule(r.get("alert").asText(), r.get("expr").asText(),
          duration(r.path("for").asText("0s")))));
    }
    return rules;
  }

  /** A Prometheus duration of one unit: 30s, 5m, 1h. */
  private static Duration duration(String text) {
    long n = Long.parseLong(text.substring(0, text.length() - 1));
    return switch (text.charAt(text.length() - 1)) {
      case 's' -> Duration.ofSeconds(n);
      case 'm' -> Duration.ofMinutes(n);
      case 'h' -> Duration.ofHours(n);
      default -> throw new IllegalArgumentException("not a duration this test reads: " + text);
    };
  }

  /** Grafana's substitution: {@code $name} and {@code ${name}} by the given values. */
  public static String substitute(String expr, Map<String, String> values) {
    String out = expr;
    for (Map.Entry<String, String> e : values.entrySet()) {
      out = out.replace("${" + e.getKey() + "}", e.getValue()).replace("$" + e.getKey(), e.getValue());
    }
    if (out.contains("$")) {
      throw new IllegalStateException("unsubstituted variable in " + expr);
    }
    return out;
  }
}
