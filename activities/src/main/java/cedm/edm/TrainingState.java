package cedm.edm;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import cedm.io.Safetensors;
import cedm.optim.AdamW;
import cedm.store.Checkpoints;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/** Everything an EDM step depends on: weights, EMA, Adam's state, images seen and the data position. */
final class TrainingState {
  final NetworkParameters net;
  final NetworkParameters ema;
  final AdamW adam;
  long nimg;
  long step;
  int batch;
  private int epoch;
  private int position;
  private int[] order;
  /** Restored from a checkpoint written where an earlier call was asked to stop. */
  final boolean atPlannedStop;

  /** EDM's Adam (betas 0.9, 0.999, eps 1e-8) over {@code net}, which trains from here. */
  private TrainingState(NetworkParameters net, NetworkParameters ema, boolean atPlannedStop) {
    this.net = net;
    this.ema = ema;
    this.adam = new AdamW(0.9, 0.999, 1e-8);
    this.atPlannedStop = atPlannedStop;
    net.requireGradients();
  }

  /** EDM's initialisation from the seed, the EMA equal to it, Adam's moments zero. */
  static TrainingState fresh(NDManager manager, ParameterLayout layout, long seed) {
    NetworkParameters net = NetworkParameters.initialise(layout, manager, TrainingSeeds.init(seed));
    TrainingState s = new TrainingState(net, net.copy(manager), false);
    net.values().forEach((name, p) -> s.adam.prepare(name, p, manager));
    return s;
  }

  static TrainingState restore(NDManager manager, ParameterLayout layout, Checkpoints.Checkpoint checkpoint)
      throws IOException {
    Path dir = checkpoint.dir();
    EdmCheckpointMeta meta = EdmCheckpointMeta.of(checkpoint.meta());
    TrainingState s = new TrainingState(NetworkParameters.load(layout, manager, dir.resolve("net.safetensors")),
        NetworkParameters.load(layout, manager, dir.resolve("ema.safetensors")), meta.plannedStop());
    Map<String, NDArray> moments = Safetensors.read(manager, dir.resolve("adam.safetensors"));
    s.adam.restore(moments, meta.adamSteps());
    s.nimg = meta.nimg();
    s.step = meta.step();
    s.epoch = meta.epoch();
    s.position = meta.position();
    s.batch = meta.batch();
    return s;
  }

  /** {@code plannedStop}: written where this call was asked to stop, for the next call to continue from. */
  Checkpoints.Checkpoint save(Checkpoints checkpoints, boolean plannedStop) throws IOException {
    EdmCheckpointMeta meta = new EdmCheckpointMeta(nimg, step, epoch, position, batch, plannedStop, adam.steps());
    return checkpoints.save(nimg, meta.toJson(), dir -> {
      net.save(dir.resolve("net.safetensors"));
      ema.save(dir.resolve("ema.safetensors"));
      Safetensors.write(dir.resolve("adam.safetensors"), adam.moments());
    });
  }

  /** The dataset rows of the next batch, epoch after epoch in the seed's order for each. */
  int[] nextRows(long seed, int batch, int count) {
    if (order == null) {
      order = TrainingSeeds.order(seed, epoch, count);
    }
    int[] rows = new int[batch];
    for (int i = 0; i < batch; i++) {
      if (position == count) {
        epoch++;
        position = 0;
        order = TrainingSeeds.order(seed, epoch, count);
      }
      rows[i] = order[position++];
    }
    return rows;
  }
}
