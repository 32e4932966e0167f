package cedm.runtime;

import cedm.store.ArtifactStore;
import io.temporal.client.WorkflowClient;
import io.temporal.serviceclient.WorkflowServiceStubs;
import java.io.IOException;

/** An embedded server with a sweep client on it, for tests that run sweeps and workers in this JVM. */
public final class LocalSweeps implements AutoCloseable {
  private final EmbeddedTemporal server;
  private final WorkflowServiceStubs stubs;
  private final WorkflowClient client;
  private final SweepClient sweeps;
  private final ArtifactStore store;

  private LocalSweeps(EmbeddedTemporal server, ArtifactStore store) throws IOException {
    this.server = server;
    this.store = store;
    ConnectionOptions options = ConnectionOptions.plain(server.target(), "default");
    stubs = options.connect();
    client = options.client(stubs);
    sweeps = new SweepClient(client, new SweepRecords(store));
  }

  public static LocalSweeps start(ArtifactStore store) throws IOException {
    EmbeddedTemporal server = EmbeddedTemporal.start(0);
    try {
      return new LocalSweeps(server, store);
    } catch (IOException | RuntimeException e) {
      server.close();
      throw e;
    }
  }

  /** host:port of the embedded server, for the command line's --target. */
  public String target() {
    return server.target();
  }

  public SweepClient sweeps() {
    return sweeps;
  }

  /** A started worker on the store, serving {@code config}'s queues. */
  public CedmWorker worker(WorkerConfig config) {
    return new CedmWorker(client, store, config).start();
  }

  @Override
  public void close() {
    stubs.shutdownNow();
    server.close();
  }
}
