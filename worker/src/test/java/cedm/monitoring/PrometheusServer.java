package cedm.monitoring;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Debian's Prometheus, started on a free port with a given config file and a scratch TSDB, and its
 * HTTP query API. `.ci/run` installs the package when it is missing.
 */
public final class PrometheusServer implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final Process process;
  private final String base;
  private final HttpClient http = HttpClient.newHttpClient();

  private PrometheusServer(Process process, String base) {
    this.process = process;
    this.base = base;
  }

  /** The binary on PATH, or a failure saying how to get it. */
  public static String binary(String name) {
    for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(":")) {
      Path candidate = Path.of(dir, name);
      if (Files.isExecutable(candidate)) {
        return candidate.toString();
      }
    }
    throw new IllegalStateException(name + " is not installed: `apt-get install prometheus` (bash .ci/run does it)");
  }

  public static PrometheusServer start(Path config, Path data) throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    Files.createDirectories(data);
    Process p = new ProcessBuilder(binary("prometheus"), "--config.file=" + config.toAbsolutePath(),
        "--storage.tsdb.path=" + data.toAbsolutePath(), "--web.listen-address=127.0.0.1:" + port)
        .redirectErrorStream(true).redirectOutput(data.resolve("prometheus.log").toFile()).start();
    PrometheusServer server = new PrometheusServer(p, "http://127.0.0.1:" + port);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline) {
      if (!p.isAlive()) {
        throw new IllegalStateException("prometheus exited: " + Files.readString(data.resolve("prometheus.log")));
      }
      try {
        if (server.get("/-/ready").statusCode() == 200) {
          return server;
        }
      } catch (IOException notYet) {
        // not listening yet
      }
      Thread.sleep(200);
    }
    server.close();
    throw new IllegalStateException("prometheus not ready within 60 s");
  }

  /** The JSON answer of an instant query at {@code time} (epoch seconds). */
  public JsonNode query(String expr, double time) throws Exception {
    return api("/api/v1/query?query=" + enc(expr) + "&time=" + time);
  }

  /** The JSON answer of a range query. */
  public JsonNode queryRange(String expr, double start, double end, int stepSeconds) throws Exception {
    return api("/api/v1/query_range?query=" + enc(expr) + "&start=" + start + "&end=" + end + "&step=" + stepSeconds);
  }

  public JsonNode rules() throws Exception {
    return api("/api/v1/rules");
  }

  public JsonNode targets() throws Exception {
    return api("/api/v1/targets");
  }

  /** Answers with {"status": "error", ...} for an invalid expression (HTTP 400), not an exception. */
  private JsonNode api(String path) throws Exception {
    return JSON.readTree(get(path).body());
  }

  private HttpResponse<String> get(String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  public record ToolRun(int exitCode, String output) {}

  /** Runs {@code promtool} with {@code args} in {@code dir}. */
  public static ToolRun promtool(Path dir, String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of(binary("promtool")));
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    return new ToolRun(p.waitFor(), out);
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(20, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }
}
