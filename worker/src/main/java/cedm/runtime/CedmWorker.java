package cedm.runtime;

import cedm.activities.DatasetActivitiesImpl;
import cedm.store.ArtifactStore;
import cedm.workflow.SweepWorkflowImpl;
import io.temporal.client.WorkflowClient;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactory;
import io.temporal.worker.WorkerOptions;

/** A worker process's Temporal side: the sweep workflows and the CPU stages on the CPU queue. */
public final class CedmWorker implements AutoCloseable {
  private final WorkerFactory factory;

  public CedmWorker(WorkflowClient client, ArtifactStore store, String cpuQueue, int cpuSlots) {
    this.factory = WorkerFactory.newInstance(client);
    Worker cpu = factory.newWorker(cpuQueue, WorkerOptions.newBuilder()
        .setMaxConcurrentActivityExecutionSize(cpuSlots)
        .build());
    cpu.registerWorkflowImplementationTypes(SweepWorkflowImpl.class);
    cpu.registerActivitiesImplementations(new DatasetActivitiesImpl(store));
  }

  public CedmWorker start() {
    factory.start();
    return this;
  }

  @Override
  public void close() {
    factory.shutdownNow();
  }
}
