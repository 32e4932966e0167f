package cedm.runtime;

import java.util.List;

/**
 * What a worker process serves.
 *
 * @param gpus CUDA device ids, one GPU-queue slot each
 * @param gpuCpuSlots without gpus: GPU-queue slots on the CPU (a CPU-only machine running
 *     everything; a training on N replicas takes N of them), 0 to serve no GPU stages
 */
public record WorkerConfig(String cpuQueue, String gpuQueue, int cpuSlots, List<Integer> gpus, int gpuCpuSlots) {
}
