package cedm.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cedm.store.ArtifactStore;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Metrics;
import io.temporal.client.WorkflowClient;
import io.temporal.serviceclient.WorkflowServiceStubs;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A worker's /metrics: cedm's own meters and the Temporal SDK's, in Prometheus' text format. */
class MetricsEndpointTest {
  @TempDir Path tmp;

  @Test
  void servesCedmAndTemporalMetrics() throws Exception {
    AtomicReference<Double> value = new AtomicReference<>(0.25);
    // A name of its own: a meter of another test's training in this JVM would have other tag keys.
    Gauge.builder("cedm.endpoint.probe", value, AtomicReference::get).tag("trial", "probe").register(Metrics.globalRegistry);
    try (MetricsEndpoint endpoint = MetricsEndpoint.start("127.0.0.1:0");
        EmbeddedTemporal server = EmbeddedTemporal.start(0)) {
      ConnectionOptions options = ConnectionOptions.plain(server.target(), "default");
      WorkflowServiceStubs stubs = options.connect();
      WorkflowClient client = options.client(stubs);
      try (CedmWorker worker = new CedmWorker(client, new ArtifactStore(tmp), GpuList.parse("cpu").worker("q-cpu", "q-gpu", 1))
          .start()) {
        HttpClient http = HttpClient.newHttpClient();
        String body = "";
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (System.nanoTime() < deadline && !body.contains("task_queue=\"q-cpu\"")) {
          HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(endpoint.url())).build(),
              HttpResponse.BodyHandlers.ofString());
          assertEquals(200, r.statusCode());
          assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("text/plain"));
          body = r.body();
          Thread.sleep(500);
        }
        assertTrue(body.contains("cedm_endpoint_probe{trial=\"probe\"} 0.25"), "cedm's gauge is served");
        assertTrue(body.lines().anyMatch(l -> l.startsWith("temporal_") && l.contains("task_queue=\"q-cpu\"")),
            "the SDK's worker metrics, per task queue; served: "
                + body.lines().filter(l -> !l.startsWith("#")).map(l -> l.replaceAll("[{ ].*", "")).distinct().toList());
      } finally {
        stubs.shutdownNow();
      }
    }
  }
}
