package cedm.runtime;

import cedm.activities.ClusteringActivitiesImpl;
import cedm.activities.DatasetActivitiesImpl;
import cedm.activities.DevicePool;
import cedm.activities.EvaluationActivitiesImpl;
import cedm.activities.FeatureActivitiesImpl;
import cedm.activities.KnnActivitiesImpl;
import cedm.activities.TrainingActivitiesImpl;
import cedm.edm.GradientSelfCheck;
import cedm.store.ArtifactStore;
import cedm.workflow.CmaxSearchWorkflowImpl;
import cedm.workflow.StageOptions;
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
 * device with its own worker; trainings on N devices come from the queue of width N
 * ({@link StageOptions#gpuQueue}), polled for every width the worker's devices can hold.
 * While it runs, the state of the store's sweeps is kept on the metrics registry ({@link SweepMetrics}).
 * A worker with GPU stages does not start on a device that fails {@link GradientSelfCheck}.
 */
public final class CedmWorker implements AutoCloseable {
  /** How often the sweeps' state is read for metrics. */
  static final Duration SWEEP_METRICS_PERIOD = Duration.ofSeconds(5);
  static final Duration HEARTBEAT_EVERY = Duration.ofSeconds(2);
  private final List<WorkerFactory> factories = new ArrayList<>();
  private final SweepMetrics sweepMetrics;

  public CedmWorker(WorkflowClient client, ArtifactStore store, WorkerConfig config) {
    WorkerFactory cpuFactory = WorkerFactory.newInstance(client);
    Worker cpu = cpuFactory.newWorker(config.cpuQueue(), options(config.cpuSlots()));
    cpu.registerWorkflowImplementationTypes(SweepWorkflowImpl.class, CmaxSearchWorkflowImpl.class,
        TrialWorkflowImpl.class);
    cpu.registerActivitiesImplementations(new DatasetActivitiesImpl(store), new KnnActivitiesImpl(store));
    factories.add(cpuFactory);
    SweepRecords records = new SweepRecords(store);
    sweepMetrics = new SweepMetrics(new SweepClient(client, records), records, store);

    if (config.gpus().isEmpty() && config.gpuCpuSlots() == 0) {
      return;
    }
    DevicePool pool = config.gpus().isEmpty() ? DevicePool.cpu(config.gpuCpuSlots()) : DevicePool.gpus(config.gpus());
    // A device whose backward pass is wrong would train every model silently wrong (issue 25).
    GradientSelfCheck.require(pool.devices());
    for (int i = 0; i < pool.size(); i++) {
      // A worker per device (a factory each: a factory serves a queue once), one stage at a time,
      // so each stage knows its device; the pool keeps them off the devices a wider training holds.
      WorkerFactory factory = WorkerFactory.newInstance(client);
      Worker gpu = factory.newWorker(config.gpuQueue(), options(1));
      gpu.registerActivitiesImplementations(new FeatureActivitiesImpl(store, pool.slot(i)),
          new ClusteringActivitiesImpl(store, pool.slot(i)), new TrainingActivitiesImpl(store, pool.slot(i)),
          new EvaluationActivitiesImpl(store, pool.slot(i)));
      factories.add(factory);
    }
    if (pool.size() > 1) {
      WorkerFactory wideFactory = WorkerFactory.newInstance(client);
      for (int width = 2; width <= pool.size(); width++) {
        Worker wide = wideFactory.newWorker(StageOptions.gpuQueue(config.gpuQueue(), width), options(pool.size() / width));
        wide.registerActivitiesImplementations(new TrainingActivitiesImpl(store, pool.any(width)));
      }
      factories.add(wideFactory);
    }
  }

  /**
   * {@code slots} stages at once; heartbeats (the stage's progress) reach the server every
   * {@link #HEARTBEAT_EVERY}, where Temporal's default holds them back for up to 30 s, so that
   * `cedm status` keeps up with the metrics, which every heartbeat updates at once.
   */
  private static WorkerOptions options(int slots) {
    return WorkerOptions.newBuilder()
        .setMaxConcurrentActivityExecutionSize(slots)
        .setDefaultHeartbeatThrottleInterval(HEARTBEAT_EVERY)
        .setMaxHeartbeatThrottleInterval(HEARTBEAT_EVERY)
        .build();
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
