package cedm.stage;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/** Stage 0: the dataset in canonical form (uint8 images, labels). */
@ActivityInterface
public interface DatasetActivities {
  @ActivityMethod(name = "dataset")
  DatasetArtifact importDataset(DatasetRequest request);
}
