package cedm.cli;

import cedm.runtime.CedmWorker;
import cedm.runtime.MetricsEndpoint;
import cedm.runtime.WorkerConfig;
import java.util.ArrayList;
import java.util.List;
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

  @Option(names = "--gpus", defaultValue = "cpu", paramLabel = "LIST",
      description = "GPU stages: comma-separated CUDA device ids (one stage per device at a time; a training with "
          + "runtime.gpus_per_trial N takes N of them), 'cpu' for one slot on the CPU, 'cpu:N' for N CPU slots "
          + "(replicas of a multi-device training run on the CPU), or 'none' to serve no GPU stages "
          + "(default ${DEFAULT-VALUE}).")
  String gpus;

  @Override
  public Integer call() throws Exception {
    try (MetricsEndpoint endpoint = metrics.start(err());
        Connected c = new Connected(connection.options(), store.open());
        CedmWorker worker = new CedmWorker(c.client, c.store, config()).start()) {
      out().println("cedm: worker on " + connection.options().target() + " namespace " + connection.options().namespace()
          + ", queues " + cpuQueue + " and " + gpuQueue + " (gpus: " + gpus + "), store " + c.store.root()
          + (endpoint == null ? "" : ", metrics " + endpoint.url()) + "; Ctrl-C stops it");
      CountDownLatch stop = new CountDownLatch(1);
      Runtime.getRuntime().addShutdownHook(new Thread(stop::countDown));
      stop.await();
    }
    return 0;
  }

  private WorkerConfig config() {
    int slots = cpuSlots != null ? cpuSlots : Runtime.getRuntime().availableProcessors();
    String list = gpus.trim().toLowerCase(java.util.Locale.ROOT);
    if (list.equals("none")) {
      return new WorkerConfig(cpuQueue, gpuQueue, slots, List.of(), 0);
    }
    if (list.equals("cpu") || list.startsWith("cpu:")) {
      int cpu = list.equals("cpu") ? 1 : number(list.substring(4));
      return new WorkerConfig(cpuQueue, gpuQueue, slots, List.of(), cpu);
    }
    List<Integer> ids = new ArrayList<>();
    for (String id : list.split(",")) {
      ids.add(number(id));
    }
    return new WorkerConfig(cpuQueue, gpuQueue, slots, ids, 0);
  }

  private int number(String text) {
    try {
      int n = Integer.parseInt(text.trim());
      if (n >= 0) {
        return n;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new UserError("--gpus " + gpus + ": '" + text.trim() + "' is not a device id or slot count "
        + "(allowed: e.g. 0,1 or cpu or cpu:2 or none)", 2);
  }
}
