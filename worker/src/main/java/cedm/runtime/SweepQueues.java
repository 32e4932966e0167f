package cedm.runtime;

import cedm.spec.RuntimeSpec;
import cedm.workflow.StageOptions;
import java.util.ArrayList;
import java.util.List;

/**
 * The task queues a sweep's work goes to, what goes there, and the devices a worker needs to take
 * it: the CPU queue (workflows, import, kNN), the GPU queue (features, clustering, evaluation, and
 * training on one device) and, for runtime.gpus_per_trial N > 1, the training queue of width N,
 * which only a worker with at least N devices polls.
 */
public final class SweepQueues {
  /** A queue the sweep needs; {@code devices} is what a worker must have to poll it (0: any worker). */
  public record Need(String queue, String work, int devices) {
    /** What a worker needs to serve this queue, as a person would type it. */
    public String workerNeeds() {
      if (devices == 0) {
        return "any cedm worker on queue " + queue;
      }
      return devices == 1 ? "a worker with --gpus (a CUDA id or cpu)"
          : "a worker with at least " + devices + " devices: --gpus with " + devices + " CUDA ids or cpu:" + devices;
    }
  }

  private SweepQueues() {}

  public static List<Need> of(RuntimeSpec runtime) {
    List<Need> needs = new ArrayList<>();
    needs.add(new Need(runtime.cpuQueue(), "the sweep's workflows and CPU stages", 0));
    int width = runtime.gpusPerTrial();
    needs.add(new Need(runtime.gpuQueue(), width > 1 ? "features, clustering and evaluation"
        : "features, clustering, training and evaluation", 1));
    if (width > 1) {
      needs.add(new Need(StageOptions.gpuQueue(runtime.gpuQueue(), width), "training on " + width + " devices", width));
    }
    return needs;
  }

  /** The queues a worker with these devices polls, as {@link CedmWorker} starts them. */
  public static List<String> served(WorkerConfig config) {
    List<String> queues = new ArrayList<>(List.of(config.cpuQueue()));
    int devices = config.gpus().isEmpty() ? config.gpuCpuSlots() : config.gpus().size();
    if (devices > 0) {
      queues.add(config.gpuQueue());
    }
    for (int width = 2; width <= devices; width++) {
      queues.add(StageOptions.gpuQueue(config.gpuQueue(), width));
    }
    return queues;
  }
}
