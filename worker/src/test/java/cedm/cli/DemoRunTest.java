package cedm.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cedm.monitoring.MonitoringFiles;
import cedm.monitoring.PrometheusServer;
import cedm.stage.EvaluationArtifact;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The main job, end to end: `cedm run specs/demo.yaml` on an embedded server with a worker,
 * watched by Prometheus started with the shipped monitoring/prometheus.yml, which scrapes the
 * run's default metrics address. The dashboards and alert rules are then checked against what it
 * recorded. Before it, in the same store, `specs/demo-budget.yaml` (the demo by successive
 * halving) runs from scratch; the demo then reuses what the two share and trains the points the
 * budget stopped on from their rungs, which also shows that a stopped point continues from its
 * checkpoint.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DemoRunTest {
  private static final Pattern SWEEP = Pattern.compile("cedm: running \\S+ as sweep (\\S+)");
  private PrometheusServer prometheus;
  private Cli budget;
  private Cli run;
  private String budgetSweep;
  private String sweep;
  private Path store;
  private double start;
  private double end;

  @BeforeAll
  void runTheBudgetDemoThenTheDemoWatchedByPrometheus(@TempDir Path tmp) throws Exception {
    prometheus = PrometheusServer.start(MonitoringFiles.DIR.resolve("prometheus.yml"), tmp.resolve("prometheus"));
    start = System.currentTimeMillis() / 1000.0;
    store = tmp.resolve("store");
    budget = Cli.run("run", Path.of("..", "specs", "demo-budget.yaml").toString(), "--store", store.toString());
    run = Cli.run("run", Path.of("..", "specs", "demo.yaml").toString(), "--store", store.toString());
    end = System.currentTimeMillis() / 1000.0;
    budgetSweep = sweepOf(budget);
    sweep = sweepOf(run);
  }

  private static String sweepOf(Cli cli) {
    Matcher m = SWEEP.matcher(cli.out());
    return m.find() ? m.group(1) : null;
  }

  @AfterAll
  void stopPrometheus() {
    if (prometheus != null) {
      prometheus.close();
    }
  }

  @Test
  void theDemoFindsCmaxAndRunsItsGrid() {
    String out = run.out();
    assertEquals(0, run.exitCode(), out + run.err());
    assertTrue(out.contains("builtin random CNN (NOT pre-trained)"), out);
    assertTrue(out.matches("(?s).*C_max search: C_max = \\d+.*"), out);
    long temi = out.lines().filter(l -> l.matches("  temi-C=\\d+ +done .*")).count();
    long kmeans = out.lines().filter(l -> l.matches("  kmeans-C=\\d+ +done .*")).count();
    assertTrue(temi >= 2 && temi == kmeans, "every grid value with both methods:\n" + out);
    assertTrue(out.lines().noneMatch(l -> l.matches("  \\S+ +failed .*")), out);
    assertTrue(out.lines().anyMatch(l -> l.matches("  unconditional +done .*")), out);
    assertTrue(out.lines().anyMatch(l -> l.matches("  ground-truth +done .*EDM ground-truth: 8 labels.*")), out);
    assertTrue(out.lines().anyMatch(l -> l.matches("  unconditional +done .*EDM unconditional: 0 labels.*")), out);
    assertEquals(temi + kmeans + 2, out.lines().filter(l -> l.matches("  \\S+ +done .*EDM .*3\\.0 kimg in 94 steps.*")).count(),
        "every trial trains a tiny model for the spec's 3 kimg:\n" + out);
    assertTrue(out.contains("scores (proxy"), out);
    assertEquals(temi + kmeans + 2, out.lines().filter(l -> l.matches("  \\S+ +\\d+\\.\\d\\d \\+- +\\d+\\.\\d\\d +\\d+\\.\\d\\d.*"))
        .count(), "a proxy FID row (mean +- std over 3 sets, min) per trial:\n" + out);
    assertTrue(out.lines().anyMatch(l -> l.matches("  point +proxy FID mean \\+- std +min +proxy precision +proxy recall"
        + " +proxy density +proxy coverage")), "prdc's four columns:\n" + out);
    assertEquals(temi + kmeans + 2, out.lines().filter(l -> l.matches("  \\S+ +\\d+\\.\\d\\d \\+- .*( +\\d\\.\\d{3} \\+- "
        + "\\d\\.\\d{3}){4}.*")).count(), "each trial's precision, recall, density and coverage:\n" + out);
  }

  /**
   * Every artifact id of both demos equals the one committed (made at 554f2a7, before the
   * workflows and the trainer were split): ids are digests of each stage's inputs, so a refactoring
   * that changed one would make every finished sweep compute again. C_max comes from TEMI's
   * utilisation; a machine whose C_max differed would differ here in its grid's points. An
   * evaluation's id also digests its trained model's float bits, which differ from one CPU to
   * another (a Zen 4 EPYC's trainings differ from the Zen 5's that made the file): evaluations are
   * counted here, and their key pinned without training by EvaluationKeyTest.
   */
  @Test
  void theDemosArtifactIdsAreTheCommittedOnes() throws Exception {
    List<String> expected = Files.readAllLines(Path.of("src", "test", "resources", "demo-artifact-ids.txt"));
    List<String> actual;
    Path artifacts = store.resolve("artifacts");
    try (Stream<Path> dirs = Files.walk(artifacts, 2)) {
      actual = dirs.filter(d -> d.getNameCount() == artifacts.getNameCount() + 2)
          .map(d -> artifacts.relativize(d).toString()).sorted().toList();
    }
    Predicate<String> evaluation = id -> id.startsWith("evaluation/");
    assertEquals(expected.stream().filter(evaluation.negate()).toList(),
        actual.stream().filter(evaluation.negate()).toList(), run.out());
    assertEquals(expected.stream().filter(evaluation).count(), actual.stream().filter(evaluation).count(), run.out());
  }

  /** Where `cedm run` wrote the demo's report, as it printed. */
  private Path reportDir() {
    return reportDir(run);
  }

  private static Path reportDir(Cli cli) {
    Matcher at = Pattern.compile("cedm: report at (\\S+)").matcher(cli.out());
    assertTrue(at.find(), cli.out() + cli.err());
    return Path.of(at.group(1)).getParent();
  }

  /**
   * The budget demo: each method's points are compared at the rung, some stop there, the rest
   * and the baselines train to the end; the report has every rung's table, names the point picked
   * per method and spends fewer device-hours than its estimate of the full grid.
   */
  @Test
  void theBudgetDemoStopsPointsAtItsRungsAndSpendsLessThanTheFullGrid() throws Exception {
    String out = budget.out();
    assertEquals(0, budget.exitCode(), out + budget.err());
    for (String method : List.of("temi", "kmeans")) {
      assertTrue(out.contains("  rung 1, " + method + ", at 2.0 kimg: "), method + out);
    }
    List<String> stopped = out.lines().filter(l -> l.matches("  (temi|kmeans)-C=\\d+ +stopped +stopped at rung 1 .*"))
        .toList();
    assertTrue(stopped.size() >= 1, "a point stops at the rung:\n" + out);
    assertTrue(out.lines().anyMatch(l -> l.matches("  unconditional +done .*3\\.0 kimg in 94 steps.*")), out);
    String md = java.nio.file.Files.readString(reportDir(budget).resolve("report.md"));
    String section = md.substring(md.indexOf("## Successive halving"), md.indexOf("## C_max search"));
    assertEquals(2, Pattern.compile("(?m)^Rung 1, (temi|kmeans), at 0\\.0020 Mimg:$").matcher(section).results()
        .count(), section);
    Matcher row = Pattern.compile("(?m)^\\| (\\S+) \\| \\d+\\.\\d\\d \\+- \\d+\\.\\d\\d \\| (stopped|continues[^|]*) \\| "
        + "evaluation/(\\w+) \\|$").matcher(section);
    int rows = 0;
    while (row.find()) {
      JsonNode meta = new ObjectMapper().readTree(store.resolve("artifacts/evaluation").resolve(row.group(3))
          .resolve("manifest.json").toFile()).at("/meta/scores/fid");
      assertEquals(2, meta.size(), "a rung is evaluated over successive_halving.sets: " + row.group());
      rows++;
    }
    assertEquals(6, rows, "every clustering point at the rung:\n" + section);
    Matcher picked = Pattern.compile("Picked: \\*\\*(temi-C=\\d+)\\*\\* \\(proxy FID [\\d.]+\\), "
        + "\\*\\*(kmeans-C=\\d+)\\*\\*").matcher(section);
    assertTrue(picked.find(), section);
    for (String point : List.of(picked.group(1), picked.group(2))) {
      assertTrue(out.lines().anyMatch(l -> l.matches("  " + Pattern.quote(point) + " +done .*")), point + " ran to the end");
    }
    Matcher cost = Pattern.compile("successive halving spent (\\d+\\.\\d{4}) CPU-slot hours; the full grid would have "
        + "cost about (\\d+\\.\\d{4}) \\((\\d+) stopped").matcher(section);
    assertTrue(cost.find(), section);
    assertEquals(stopped.size(), Integer.parseInt(cost.group(3)));
    assertTrue(Double.parseDouble(cost.group(1)) < Double.parseDouble(cost.group(2)), cost.group());
  }

  /**
   * The report `cedm run` writes at the end: each cell of the results table (FID's mean +- std and
   * minimum, and every other result, precision ... coverage of the demo's prdc) equals its
   * evaluation artifact on disk; the figures exist.
   */
  @Test
  void theReportsTablesEqualTheArtifacts() throws Exception {
    Path dir = reportDir();
    String md = java.nio.file.Files.readString(dir.resolve("report.md"));
    String results = md.substring(md.indexOf("## Results"), md.indexOf("\n## ", md.indexOf("## Results")));
    List<String> header = cells(results.lines().filter(l -> l.startsWith("| point | C |")).findFirst().orElseThrow());
    assertTrue(header.containsAll(List.of("proxy precision (mean +- std)", "proxy recall (mean +- std)",
        "proxy density (mean +- std)", "proxy coverage (mean +- std)")), "the demo's prdc results: " + header);
    int rows = 0;
    ObjectMapper json = new ObjectMapper();
    for (String line : results.lines().filter(l -> l.startsWith("| ") && l.contains(" evaluation/")).toList()) {
      List<String> cells = cells(line);
      String id = cells.get(cells.size() - 1).substring("evaluation/".length());
      JsonNode scores = json.readTree(store.resolve("artifacts").resolve("evaluation").resolve(id)
          .resolve("manifest.json").toFile()).at("/meta/scores");
      for (Iterator<String> names = scores.fieldNames(); names.hasNext(); ) {
        String name = names.next();
        double[] v = new double[scores.get(name).size()];
        for (int i = 0; i < v.length; i++) {
          v[i] = scores.get(name).get(i).asDouble();
        }
        EvaluationArtifact.Summary summary = EvaluationArtifact.Summary.of(java.util.Arrays.stream(v).boxed().toList());
        String column = EvaluationArtifact.displayName(name, true) + " (mean +- std)";
        assertEquals(String.format(java.util.Locale.ROOT, name.equals("fid") ? "%.2f +- %.2f" : "%.3f +- %.3f",
            summary.mean(), summary.std()), cells.get(header.indexOf(column)).replace("**", ""), column + ": " + line);
        if (name.equals("fid")) {
          assertEquals(String.format(java.util.Locale.ROOT, "%.2f", summary.min()),
              cells.get(header.indexOf("proxy FID min")), line);
        }
      }
      assertEquals(5, scores.size(), "fid and prdc's four: " + scores);
      rows++;
    }
    long trials = run.out().lines().filter(l -> l.matches("  \\S+ +\\d+\\.\\d\\d \\+- +\\d+\\.\\d\\d +\\d+\\.\\d\\d.*"))
        .count();
    assertEquals(trials, rows, "one row per trial:\n" + md);
    assertTrue(md.contains("(best)"), md);
    assertEquals(960, javax.imageio.ImageIO.read(dir.resolve("cmax.png").toFile()).getWidth());
    java.awt.image.BufferedImage samples = javax.imageio.ImageIO.read(dir.resolve("samples.png").toFile());
    assertTrue(samples.getHeight() >= 2 * 66 && samples.getHeight() % 66 == 0, "rows of 64-pixel samples, one per cluster");
    assertTrue(java.nio.file.Files.readString(dir.resolve("report.html")).contains("<img src=\"samples.png\""));
  }

  /** A markdown table row's cells, trimmed. */
  private static List<String> cells(String row) {
    String[] parts = row.split("\\|");
    return java.util.Arrays.stream(parts, 1, parts.length).map(String::trim).toList();
  }

  /**
   * Evaluation during training: every point's curve has its two snapshots and its final model, each
   * from an evaluation artifact on disk; the efficiency table has a row per point, the
   * unconditional model where its own curve first reaches its final FID.
   */
  @Test
  void theDemoEvaluatesDuringTrainingAndReportsCurvesAndSampleEfficiency() throws Exception {
    Path dir = reportDir();
    String md = java.nio.file.Files.readString(dir.resolve("report.md"));
    String section = md.substring(md.indexOf("## FID during training"), md.indexOf("## Device time"));
    Matcher row = Pattern.compile("(?m)^\\| (\\S+) \\| (\\d\\.\\d{4}) \\| (\\d+\\.\\d\\d) \\| evaluation/(\\w+) \\|$")
        .matcher(section);
    java.util.Map<String, java.util.List<String>> mimg = new java.util.TreeMap<>();
    java.util.Map<String, Double> unconditional = new java.util.LinkedHashMap<>();
    while (row.find()) {
      mimg.computeIfAbsent(row.group(1), k -> new java.util.ArrayList<>()).add(row.group(2));
      if (row.group(1).equals("unconditional")) {
        unconditional.put(row.group(2), Double.parseDouble(row.group(3)));
      }
      assertTrue(java.nio.file.Files.exists(store.resolve("artifacts/evaluation").resolve(row.group(4))
          .resolve("manifest.json")), row.group());
    }
    assertEquals(8, mimg.size(), "six clustering points and two baselines:\n" + section);
    mimg.forEach((point, at3) -> assertEquals(java.util.List.of("0.0010", "0.0020", "0.0030"), at3, point));
    // The unconditional model reaches its own final FID where its curve first comes down to it.
    double last = unconditional.get("0.0030");
    String reached = unconditional.entrySet().stream().filter(e -> e.getValue() <= last).findFirst().orElseThrow().getKey();
    Matcher efficiency = Pattern.compile("(?m)^\\| unconditional \\| " + Pattern.quote(reached) + " \\| (\\d+\\.\\d\\d)x \\|$")
        .matcher(section);
    assertTrue(efficiency.find(), reached + "\n" + section);
    // Mimg is shown to 4 decimals; the ratio comes from the exact images seen (2.016 kimg at step 63).
    assertEquals(0.003 / Double.parseDouble(reached), Double.parseDouble(efficiency.group(1)), 0.02, efficiency.group());
    assertEquals(8, Pattern.compile("(?m)^\\| \\S+ \\| (\\d\\.\\d{4} \\| \\d+\\.\\d\\dx|not reached \\| -) \\|$")
        .matcher(section).results().count(), "an efficiency row per point:\n" + section);
    assertTrue(run.out().contains("    FID by kimg: 1.0"), "cedm run prints each point's curve:\n" + run.out());
    assertTrue(section.contains("](curves.png)"), section);
    assertEquals(960, javax.imageio.ImageIO.read(dir.resolve("curves.png").toFile()).getWidth());
  }

  /** The report's device time, from the store's ledger: every device stage, the total, every grid point. */
  @Test
  void theReportShowsTheDeviceTimeOfEveryStageAndPoint() throws Exception {
    String md = java.nio.file.Files.readString(reportDir().resolve("report.md"));
    String section = md.substring(md.indexOf("## Device time"), md.indexOf("## Samples per cluster"));
    double sum = 0;
    for (String stage : java.util.List.of("features", "clustering", "training", "evaluation")) {
      Matcher row = Pattern.compile("(?m)^\\| " + stage + " \\| 0\\.0000 \\| (\\d+\\.\\d{4}) \\| ([1-9]\\d*) \\|$")
          .matcher(section);
      assertTrue(row.find(), stage + " held its CPU slot at least once:\n" + section);
      sum += Double.parseDouble(row.group(1));
    }
    Matcher total = Pattern.compile("(?m)^\\| \\*\\*total\\*\\* \\| 0\\.0000 \\| (\\d+\\.\\d{4}) \\|").matcher(section);
    assertTrue(total.find(), section);
    assertEquals(sum, Double.parseDouble(total.group(1)), 0.0005, "the total adds the stages:\n" + section);
    assertTrue(Double.parseDouble(total.group(1)) > 0, section);
    Matcher training = Pattern.compile("(?m)^\\| training \\| 0\\.0000 \\| (\\d+\\.\\d{4})").matcher(section);
    assertTrue(training.find() && Double.parseDouble(training.group(1)) > 0, "training took device time:\n" + section);
    assertTrue(section.contains("| unconditional |") && section.contains("| temi-C="), "a row per point:\n" + section);
  }

  /** Every dashboard query is valid PromQL, and every panel shows at least one series of the two demos. */
  @Test
  void everyDashboardPanelShowsTheDemo() throws Exception {
    assertTrue(sweep != null && budgetSweep != null, run.out() + run.err() + budget.out() + budget.err());
    // The demo reuses the budget's shared stages (features, clusterings), so their series carry the budget's sweep.
    Map<String, String> grafana = Map.of("sweep", budgetSweep + "|" + sweep, "trial", ".*", "__rate_interval", "1m");
    List<String> empty = new ArrayList<>();
    List<MonitoringFiles.Panel> panels = MonitoringFiles.panels();
    assertTrue(panels.size() >= 25, "three dashboards' panels: " + panels.size());
    for (MonitoringFiles.Panel panel : panels) {
      int series = 0;
      for (String expr : panel.exprs()) {
        JsonNode answer = prometheus.queryRange(MonitoringFiles.substitute(expr, grafana), start, end + 30, 15);
        assertEquals("success", answer.path("status").asText(),
            panel.dashboard() + " / " + panel.title() + ": " + expr + " -> " + answer);
        series += answer.at("/data/result").size();
      }
      if (series == 0) {
        empty.add(panel.dashboard() + " / " + panel.title());
      }
    }
    assertEquals(List.of(), empty, "panels without a series over the demo run");
    for (MonitoringFiles.Variable v : MonitoringFiles.variables()) {
      JsonNode answer = prometheus.queryRange(MonitoringFiles.substitute(v.selector(), grafana), start, end + 30, 15);
      Set<String> values = new HashSet<>();
      answer.at("/data/result").forEach(r -> values.add(r.at("/metric/" + v.label()).asText()));
      assertTrue(values.contains(v.name().equals("sweep") ? sweep : "unconditional"),
          v.dashboard() + " variable " + v.name() + " offers " + values);
    }
  }

  /**
   * What Prometheus recorded is what the runs printed: C_max, and each scored trial's mean and
   * minimum FID, for both runs (the demo's reused trials score within seconds of its start, so
   * only the two runs together are sure to have several trials scraped).
   */
  @Test
  void theRecordedMetricsAgreeWithThePrintedResults() throws Exception {
    Matcher cmax = Pattern.compile("C_max search: C_max = (\\d+)").matcher(run.out());
    assertTrue(cmax.find(), run.out());
    JsonNode recorded = prometheus.query("max_over_time(cedm_sweep_cmax{sweep=\"" + sweep + "\"}[1h])", end + 30);
    assertEquals(cmax.group(1), recorded.at("/data/result/0/value/1").asText(), recorded.toString());
    int compared = 0;
    for (Cli cli : List.of(budget, run)) {
      String id = cli == run ? sweep : budgetSweep;
      Matcher row = Pattern.compile("(?m)^  (\\S+) +(\\d+\\.\\d\\d) \\+- +\\d+\\.\\d\\d +(\\d+\\.\\d\\d)").matcher(cli.out());
      while (row.find()) {
        String selector = "cedm_evaluation_fid{sweep=\"" + id + "\", trial=\"" + row.group(1) + "\"}[1h]";
        JsonNode mean = prometheus.query("avg(last_over_time(" + selector + "))", end + 30);
        if (mean.at("/data/result").isEmpty()) {
          continue;
        }
        JsonNode min = prometheus.query("min(last_over_time(" + selector + "))", end + 30);
        assertEquals(Double.parseDouble(row.group(2)), mean.at("/data/result/0/value/1").asDouble(), 0.005, row.group());
        assertEquals(Double.parseDouble(row.group(3)), min.at("/data/result/0/value/1").asDouble(), 0.005, row.group());
        compared++;
      }
    }
    assertTrue(compared >= 4, "trials scored before the runs ended were scraped: " + compared);
  }

  /**
   * Every alert expression is valid PromQL, Prometheus evaluated each rule without error, and none
   * fired on the two demos: no series held its expression for the rule's {@code for} (a scrape
   * that falls between the two runs, or after the last, finds no endpoint for a moment). This
   * JVM's registry also holds other tests' sweeps, some with bad input on purpose; only the demo's
   * series and those without a sweep count.
   */
  /** The longest time a range query's series held without a gap, in seconds, from its evaluation timestamps. */
  private static double longestHold(JsonNode values, double step) {
    double longest = 0;
    double first = Double.NaN;
    double previous = Double.NaN;
    for (JsonNode v : values) {
      double t = v.get(0).asDouble();
      first = t - previous <= step ? first : t;
      longest = Math.max(longest, t - first);
      previous = t;
    }
    return longest;
  }

  @Test
  void everyAlertRuleEvaluatesAndTheHealthyDemoFiresNone() throws Exception {
    List<MonitoringFiles.Rule> rules = MonitoringFiles.rules();
    for (MonitoringFiles.Rule rule : rules) {
      JsonNode answer = prometheus.queryRange(rule.expr(), start, end + 30, 15);
      assertEquals("success", answer.path("status").asText(), rule.name() + ": " + answer);
      List<JsonNode> firing = new ArrayList<>();
      answer.at("/data/result").forEach(r -> {
        boolean demos = !r.at("/metric/sweep").isTextual()
            || List.of(sweep, budgetSweep).contains(r.at("/metric/sweep").asText());
        if (demos && longestHold(r.get("values"), 15) >= rule.pending().toSeconds()) {
          firing.add(r);
        }
      });
      assertEquals(List.of(), firing, rule.name() + " would fire on the healthy demo");
    }
    Set<String> loaded = new HashSet<>();
    for (JsonNode group : prometheus.rules().at("/data/groups")) {
      for (JsonNode r : group.get("rules")) {
        loaded.add(r.get("name").asText());
        assertFalse(r.path("health").asText().equals("err"), r.toString());
      }
    }
    assertEquals(rules.stream().map(MonitoringFiles.Rule::name).collect(java.util.stream.Collectors.toSet()), loaded);
    JsonNode up = prometheus.queryRange("up{job=\"cedm\"} == 1", start, end, 15);
    assertTrue(up.at("/data/result").size() > 0, "the shipped config scraped the demo's worker: " + prometheus.targets());
  }
}
