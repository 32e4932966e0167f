package cedm.runtime;

import ai.djl.Device;
import cedm.activities.ClusteringActivitiesImpl;
import cedm.activities.DatasetActivitiesImpl;
import cedm.activities.EvaluationActivitiesImpl;
import cedm.activities.FeatureActivitiesImpl;
import cedm.activities.KnnActivitiesImpl;
import cedm.activities.TrainingActivitiesImpl;
import cedm.store.ArtifactStore;
import cedm.workflow.CmaxSearchWorkflowImpl;
import cedm.workflow.SweepWorkflowImpl;
import cedm.workflow.TrialWorkflowImpl;
import io.temporal.client.WorkflowClient;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactory;
import io.temporal.worker.WorkerOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A worker process's Temporal side. The CPU queue carries the workflows and the CPU stages; the GPU
 * queue carries the stages that want an accelerator, one activity at a time per device, each
 * device with its own worker (a worker factory per device, so each knows which device it owns).
 * While it runs, the state of the store's sweeps is kept on the metrics registry ({@link SweepMetrics}).
 */
public final class CedmWorker implements AutoCloseable {
  /** How often the sweeps' state is read for metrics. */
  static final Duration SWEEP_METRICS_PERIOD = Duration.ofSeconds(5);
  private final List<WorkerFactory> factories = new ArrayList<>();
  private final SweepMetrics sweepMetrics;

  public CedmWorker(WorkflowClient client, ArtifactStore store, WorkerConfig config) {
    WorkerFactory cpuFactory = WorkerFactory.newInstance(client);
    Worker cpu = cpuFactory.newWorker(config.cpuQueue(), WorkerOptions.newBuilder()
        .setMaxConcurrentActivityExecutionSize(config.cpuSlots())
        .build());
    cpu.registerWorkflowImplementationTypes(SweepWorkflowImpl.class, CmaxSearchWorkflowImpl.class,
        TrialWorkflowImpl.class);
    cpu.registerActivitiesImplementations(new DatasetActivitiesImpl(store), new KnnActivitiesImpl(store));
    factories.add(cpuFactory);
    SweepRecords records = new SweepRecords(store);
    sweepMetrics = new SweepMetrics(new SweepClient(client, records), records, store);

    List<Device> devices = new ArrayList<>();
    config.gpus().forEach(id -> devices.add(Device.gpu(id)));
    if (devices.isEmpty() && config.gpuOnCpu()) {
      devices.add(Device.cpu());
    }
    for (Device device : devices) {
      WorkerFactory factory = WorkerFactory.newInstance(client);
      Worker gpu = factory.newWorker(config.gpuQueue(), WorkerOptions.newBuilder()
          .setMaxConcurrentActivityExecutionSize(1)
          .build());
      gpu.registerActivitiesImplementations(new FeatureActivitiesImpl(store, device),
          new ClusteringActivitiesImpl(store, device), new TrainingActivitiesImpl(store, device),
          new EvaluationActivitiesImpl(store, device));
      factories.add(factory);
    }
  }

  public CedmWorker start() {
    factories.forEach(WorkerFactory::start);
    sweepMetrics.start(SWEEP_METRICS_PERIOD);
    return this;
  }

  @Override
  public void close() {
    sweepMetrics.close();
    factories.forEach(WorkerFactory::shutdownNow);
  }
}
