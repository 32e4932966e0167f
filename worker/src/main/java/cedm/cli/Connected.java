package cedm.cli;

import cedm.runtime.ConnectionOptions;
import cedm.runtime.SweepClient;
import cedm.runtime.SweepRecords;
import cedm.store.ArtifactStore;
import io.temporal.client.WorkflowClient;
import io.temporal.serviceclient.WorkflowServiceStubs;
import java.io.IOException;

/** A live connection to Temporal plus the store: what the client commands work with. */
final class Connected implements AutoCloseable {
  final WorkflowServiceStubs stubs;
  final WorkflowClient client;
  final ArtifactStore store;
  final SweepClient sweeps;

  Connected(ConnectionOptions options, ArtifactStore store) throws IOException {
    try {
      this.stubs = options.connect();
    } catch (IOException e) {
      throw new UserError(e.getMessage(), 2);
    }
    try {
      this.stubs.healthCheck();
    } catch (RuntimeException e) {
      stubs.shutdownNow();
      throw new UserError("cannot reach Temporal at " + options.target()
          + " (start one with `cedm server`, or pass --target): " + e.getMessage(), 3);
    }
    this.client = options.client(stubs);
    this.store = store;
    this.sweeps = new SweepClient(client, new SweepRecords(store));
  }

  @Override
  public void close() {
    stubs.shutdownNow();
  }
}
