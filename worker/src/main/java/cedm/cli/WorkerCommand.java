package cedm.cli;

import cedm.runtime.CedmWorker;
import cedm.runtime.GpuList;
import cedm.runtime.SweepQueues;
import cedm.runtime.MetricsEndpoint;
import cedm.runtime.WorkerConfig;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "worker", description = "Serve sweep workflows and stages to a Temporal service until stopped.")
final class WorkerCommand extends Output implements Callable<Integer> {
  @Mixin ConnectionMixin connection;
  @Mixin StoreOptions store;
  @Mixin MetricsOption metrics;

  @Option(names = "--cpu-queue", defaultValue = "cedm-cpu", description = "CPU task queue (spec runtime.cpu_queue; default ${DEFAULT-VALUE}).")
  String cpuQueue;

  @Option(names = "--gpu-queue", defaultValue = "cedm-gpu", description = "GPU task queue (spec runtime.gpu_queue; default ${DEFAULT-VALUE}).")
  String gpuQueue;

  @Option(names = "--cpu-slots", description = "CPU stages run at once (default: number of cores).")
  Integer cpuSlots;

  @Mixin GpusOption gpus;

  @Override
  public Integer call() throws Exception {
    GpuList devices = gpus.list();
    WorkerConfig config = devices.worker(cpuQueue, gpuQueue,
        cpuSlots != null ? cpuSlots : Runtime.getRuntime().availableProcessors());
    try (MetricsEndpoint endpoint = metrics.start(err());
        Connected c = new Connected(connection.options(), store.open());
        CedmWorker worker = new CedmWorker(c.client, c.store, config).start()) {
      out().println("cedm: worker on " + connection.options().target() + " namespace " + connection.options().namespace()
          + ", queues " + String.join(", ", SweepQueues.served(config)) + " (gpus: " + devices.text() + "), store "
          + c.store.root()
          + (endpoint == null ? "" : ", metrics " + endpoint.url()) + "; Ctrl-C stops it");
      CountDownLatch stop = new CountDownLatch(1);
      Runtime.getRuntime().addShutdownHook(new Thread(stop::countDown));
      stop.await();
    }
    return 0;
  }
}
