package cedm.stage;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/** Stage 5: an EDM model for one grid point, from its labels (GPU queue; days; checkpointed). */
@ActivityInterface
public interface TrainingActivities {
  @ActivityMethod(name = "training")
  TrainingArtifact train(TrainingRequest request);

  /**
   * Trains the same model up to {@code kimg} (from its newest checkpoint; a checkpoint is left
   * there) and keeps its EMA weights of that moment as a snapshot artifact, memoised per
   * (training, kimg), for evaluation during training.
   */
  @ActivityMethod(name = "training-snapshot")
  SnapshotArtifact snapshot(TrainingRequest request, double kimg);
}
