package cedm.cli;

import cedm.runtime.MetricsEndpoint;
import java.io.IOException;
import java.io.PrintWriter;
import picocli.CommandLine.Option;

/** {@code --metrics HOST:PORT|none}: where the process serves its Prometheus metrics. */
final class MetricsOption {
  @Option(names = "--metrics", defaultValue = "127.0.0.1:9464", paramLabel = "HOST:PORT",
      description = "Serve Prometheus metrics at http://HOST:PORT/metrics, or 'none' (default ${DEFAULT-VALUE}; "
          + "use 0.0.0.0:PORT for a Prometheus on another host).")
  String address;

  /** The running endpoint, or null when disabled or the port is taken (said on {@code err}). */
  MetricsEndpoint start(PrintWriter err) {
    if (address.equalsIgnoreCase("none")) {
      return null;
    }
    try {
      return MetricsEndpoint.start(address);
    } catch (IOException | IllegalArgumentException e) {
      err.println("cedm: metrics not served: cannot listen on " + address + " (" + e.getMessage()
          + "); pass --metrics HOST:PORT or --metrics none");
      err.flush();
      return null;
    }
  }
}
