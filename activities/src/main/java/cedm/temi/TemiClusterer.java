package cedm.temi;

import ai.djl.Device;
import cedm.cluster.Clusterer;
import cedm.spec.TemiSpec;
import cedm.store.Checkpoints;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * TEMI heads trained on the features and their mined neighbours; the best head's teacher assigns
 * the clusters. Checkpoints in its work directory let a restarted run continue.
 */
public record TemiClusterer(TemiSpec spec, int clusters, long seed, Device device) implements Clusterer {
  private static final int CHECKPOINTS_KEPT = 2;

  @Override
  public boolean needsNeighbours() {
    return true;
  }

  @Override
  public Result cluster(Input input, Path work, Progress progress) throws Exception {
    TemiTrainer trainer = new TemiTrainer(spec, clusters, seed, device);
    TemiTrainer.Outcome outcome = trainer.train(input.features(), input.n(), input.d(), input.neighbours(),
        input.width(), new Checkpoints(work.resolve("checkpoints"), CHECKPOINTS_KEPT), p -> {
          progress.loss(p.loss());
          progress.at(p.epoch(), p.epochs(), "epochs");
        });
    double[] losses = outcome.headLosses();
    return new Result(outcome.assignments(), Arrays.stream(losses).boxed().toList(), outcome.bestHead(),
        losses[outcome.bestHead()], outcome.resumedAtEpoch());
  }
}
