package cedm.runtime;

import ai.djl.Device;
import ai.djl.util.cuda.CudaUtils;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * The devices a worker's GPU stages run on, as {@code --gpus} names them for `cedm worker`,
 * `cedm run` and `cedm doctor`: CUDA ids ({@code 0,1}), {@code cpu} (one slot on the CPU),
 * {@code cpu:N} (N slots: a training's replicas on the CPU), or {@code none} (no GPU stages).
 *
 * @param cudaIds the CUDA devices, one slot each; empty for the CPU or none
 * @param cpuSlots without CUDA ids, the CPU slots (0 for none)
 */
public record GpuList(String text, List<Integer> cudaIds, int cpuSlots) {
  public static final String ALLOWED = "e.g. 0,1 or cpu or cpu:2 or none";

  public GpuList {
    cudaIds = List.copyOf(cudaIds);
  }

  /** Every CUDA device this host shows, else one CPU slot: what a flag left out means. */
  public static GpuList visible() {
    int gpus = CudaUtils.getGpuCount();
    if (gpus == 0) {
      return new GpuList("cpu", List.of(), 1);
    }
    List<Integer> ids = new ArrayList<>();
    for (int i = 0; i < gpus; i++) {
      ids.add(i);
    }
    return new GpuList(String.join(",", ids.stream().map(String::valueOf).toList()), ids, 0);
  }

  /** Parses a {@code --gpus} value; a malformed one is an IllegalArgumentException naming the part and what is allowed. */
  public static GpuList parse(String text) {
    String list = text.trim().toLowerCase(Locale.ROOT);
    if (list.equals("none")) {
      return new GpuList(list, List.of(), 0);
    }
    if (list.equals("cpu")) {
      return new GpuList(list, List.of(), 1);
    }
    if (list.startsWith("cpu:")) {
      int slots = number(text, list.substring(4));
      if (slots == 0) {
        throw new IllegalArgumentException("--gpus " + text + ": cpu:0 gives no slot (allowed: " + ALLOWED + ")");
      }
      return new GpuList(list, List.of(), slots);
    }
    List<Integer> ids = new ArrayList<>();
    for (String id : list.split(",")) {
      int n = number(text, id);
      if (ids.contains(n)) {
        throw new IllegalArgumentException("--gpus " + text + ": device " + n + " is listed twice (allowed: " + ALLOWED + ")");
      }
      ids.add(n);
    }
    return new GpuList(list, ids, 0);
  }

  private static int number(String text, String part) {
    try {
      int n = Integer.parseInt(part.trim());
      if (n >= 0) {
        return n;
      }
    } catch (NumberFormatException e) {
      // named below
    }
    throw new IllegalArgumentException("--gpus " + text + ": '" + part.trim() + "' is not a device id or slot count "
        + "(allowed: " + ALLOWED + ")");
  }

  /** How many devices one training can take at most: the width of the widest queue this worker serves. */
  public int slots() {
    return cudaIds.isEmpty() ? cpuSlots : cudaIds.size();
  }

  /** Every slot's device (the CPU once per CPU slot). */
  public List<Device> devices() {
    if (!cudaIds.isEmpty()) {
      return cudaIds.stream().map(Device::gpu).toList();
    }
    return Collections.nCopies(cpuSlots, Device.cpu());
  }

  /** The worker that serves these devices and {@code cpuSlots} CPU stages on the two queues. */
  public WorkerConfig worker(String cpuQueue, String gpuQueue, int cpuStageSlots) {
    return new WorkerConfig(cpuQueue, gpuQueue, cpuStageSlots, cudaIds, cudaIds.isEmpty() ? cpuSlots : 0);
  }
}
