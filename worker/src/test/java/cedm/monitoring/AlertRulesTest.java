package cedm.monitoring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * The shipped Prometheus config and alert rules load, and every alert fires on the synthetic
 * series of monitoring/alerts-test.yml exactly when it should (promtool's rule unit tests).
 */
class AlertRulesTest {
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
    String cases = java.nio.file.Files.readString(MonitoringFiles.DIR.resolve("alerts-test.yml"));
    for (MonitoringFiles.Rule rule : MonitoringFiles.rules()) {
      assertTrue(cases.contains("alertname: " + rule.name()), rule.name() + " has no unit test in alerts-test.yml");
    }
  }
}
