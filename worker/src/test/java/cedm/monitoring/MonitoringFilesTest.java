package cedm.monitoring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The shipped monitoring files without a running system: the Prometheus config and rules load,
 * every alert fires on the synthetic series of monitoring/alerts-test.yml exactly when it should
 * (promtool's rule unit tests), and the dashboards are wired to the provisioned datasource.
 * {@code DemoRunTest} runs the queries against a real sweep.
 */
class MonitoringFilesTest {
  @Test
  void theConfigAndRulesAreValid() throws Exception {
    PrometheusServer.ToolRun check = PrometheusServer.promtool(MonitoringFiles.DIR, "check", "config", "prometheus.yml");
    assertEquals(0, check.exitCode(), check.output());
    assertTrue(check.output().contains(MonitoringFiles.rules().size() + " rules found"), check.output());
  }

  @Test
  void everyAlertFiresOnItsCaseAndNotOnTheOthers() throws Exception {
    PrometheusServer.ToolRun test = PrometheusServer.promtool(MonitoringFiles.DIR, "test", "rules", "alerts-test.yml");
    assertEquals(0, test.exitCode(), test.output());
    String cases = Files.readString(MonitoringFiles.DIR.resolve("alerts-test.yml"));
    for (MonitoringFiles.Rule rule : MonitoringFiles.rules()) {
      assertTrue(cases.contains("alertname: " + rule.name()), rule.name() + " has no unit test in alerts-test.yml");
    }
  }

  @Test
  void everyPanelUsesTheProvisionedDatasourceAndFitsTheGrid() throws Exception {
    Path provisioning = MonitoringFiles.DIR.resolve("grafana").resolve("provisioning");
    JsonNode datasource = new ObjectMapper(new YAMLFactory())
        .readTree(provisioning.resolve("datasources").resolve("cedm.yml").toFile()).at("/datasources/0");
    String uid = datasource.get("uid").asText();
    assertEquals("prometheus", datasource.get("type").asText());
    Set<String> dashboardUids = new HashSet<>();
    for (Path file : MonitoringFiles.dashboards()) {
      JsonNode d = new ObjectMapper().readTree(file.toFile());
      assertTrue(dashboardUids.add(d.get("uid").asText()), file + ": duplicate dashboard uid");
      Set<Integer> ids = new HashSet<>();
      for (JsonNode p : d.get("panels")) {
        String where = file.getFileName() + " / " + p.get("title").asText();
        assertTrue(ids.add(p.get("id").asInt()), where + ": duplicate panel id");
        assertEquals(uid, p.at("/datasource/uid").asText(), where);
        JsonNode grid = p.get("gridPos");
        assertTrue(grid.get("x").asInt() + grid.get("w").asInt() <= 24, where + ": wider than Grafana's 24 columns");
        assertTrue(p.get("targets").size() > 0, where + ": no query");
        p.get("targets").forEach(t -> assertEquals(uid, t.at("/datasource/uid").asText(), where));
        if (p.get("type").asText().equals("trend")) {
          String x = p.at("/options/xField").asText();
          p.get("targets").forEach(t -> assertTrue(t.get("expr").asText().contains("by (" + x + ")"),
              where + ": the x field " + x + " must be a label of every query"));
        }
      }
    }
    assertEquals(Set.of("cedm-sweep", "cedm-training", "cedm-temporal"), dashboardUids);
  }
}
