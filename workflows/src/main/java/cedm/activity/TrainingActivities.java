package cedm.activity;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/** Stage 5: an EDM model for one grid point, from its labels (GPU queue; days; checkpointed). */
@ActivityInterface
public interface TrainingActivities {
  @ActivityMethod(name = "training")
  TrainingArtifact train(TrainingRequest request);
}
