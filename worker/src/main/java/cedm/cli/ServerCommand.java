package cedm.cli;

import cedm.runtime.EmbeddedTemporal;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "server", description = "Run an embedded Temporal server (the Java test server) on 127.0.0.1 only. "
    + "It keeps no history across restarts; finished stages live in the artifact store.")
final class ServerCommand extends Output implements Callable<Integer> {
  @Option(names = "--port", defaultValue = "7233", description = "Port on 127.0.0.1 (default ${DEFAULT-VALUE}).")
  int port;

  @Override
  public Integer call() throws Exception {
    try (EmbeddedTemporal server = EmbeddedTemporal.start(port)) {
      out().println("cedm: Temporal server listening on " + server.target() + " (namespace default); Ctrl-C stops it");
      CountDownLatch stop = new CountDownLatch(1);
      Runtime.getRuntime().addShutdownHook(new Thread(stop::countDown));
      stop.await();
    } catch (java.io.IOException e) {
      throw new UserError("cannot listen on 127.0.0.1:" + port + ": " + e.getMessage()
          + " (another server running? choose --port)", 3);
    }
    return 0;
  }
}
