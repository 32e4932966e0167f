package cedm.runtime;

import java.util.List;

/**
 * What a worker process serves.
 *
 * @param gpus CUDA device ids, one GPU-queue slot each; empty with {@code gpuOnCpu} serves the GPU
 *     queue with one slot on the CPU (a CPU-only machine running everything)
 */
public record WorkerConfig(String cpuQueue, String gpuQueue, int cpuSlots, List<Integer> gpus, boolean gpuOnCpu) {

  /** Everything on this machine's CPU, as `cedm run` does. */
  public static WorkerConfig cpuOnly(String cpuQueue, String gpuQueue, int cpuSlots) {
    return new WorkerConfig(cpuQueue, gpuQueue, cpuSlots, List.of(), true);
  }
}
