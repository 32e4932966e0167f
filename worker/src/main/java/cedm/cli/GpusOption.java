package cedm.cli;

import cedm.runtime.GpuList;
import picocli.CommandLine.Option;

/** {@code --gpus}, read the same way by `cedm worker`, `cedm run` and `cedm doctor`. */
final class GpusOption {
  @Option(names = "--gpus", paramLabel = "LIST",
      description = "The devices of the GPU stages: comma-separated CUDA ids (one stage per device at a time; a "
          + "training with runtime.gpus_per_trial N takes N of them), 'cpu' for one slot on the CPU, 'cpu:N' for N "
          + "CPU slots (a training's replicas on the CPU), or 'none' for no GPU stages (default: every CUDA device "
          + "this host shows, else cpu).")
  String gpus;

  GpuList list() {
    if (gpus == null) {
      return GpuList.visible();
    }
    try {
      return GpuList.parse(gpus);
    } catch (IllegalArgumentException e) {
      throw new UserError(e.getMessage(), 2);
    }
  }
}
