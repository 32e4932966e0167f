package cedm.cli;

import cedm.runtime.CedmWorker;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "worker", description = "Serve sweep workflows and stages to a Temporal service until stopped.")
final class WorkerCommand extends Output implements Callable<Integer> {
  @Mixin ConnectionMixin connection;
  @Mixin StoreOptions store;

  @Option(names = "--cpu-queue", defaultValue = "cedm-cpu", description = "CPU task queue (spec runtime.cpu_queue; default ${DEFAULT-VALUE}).")
  String cpuQueue;

  @Option(names = "--cpu-slots", description = "CPU stages run at once (default: number of cores).")
  Integer cpuSlots;

  @Override
  public Integer call() throws Exception {
    try (Connected c = new Connected(connection.options(), store.open());
        CedmWorker worker = new CedmWorker(c.client, c.store, cpuQueue, slots()).start()) {
      out().println("cedm: worker on " + connection.target + " namespace " + connection.namespace
          + ", queue " + cpuQueue + ", store " + c.store.root() + "; Ctrl-C stops it");
      CountDownLatch stop = new CountDownLatch(1);
      Runtime.getRuntime().addShutdownHook(new Thread(stop::countDown));
      stop.await();
    }
    return 0;
  }

  private int slots() {
    return cpuSlots != null ? cpuSlots : Runtime.getRuntime().availableProcessors();
  }
}
