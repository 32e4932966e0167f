package cedm.stage;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/** Stage 3: C clusters of the training images, by TEMI heads or k-means (GPU queue). */
@ActivityInterface
public interface ClusteringActivities {
  @ActivityMethod(name = "clustering")
  ClusteringArtifact cluster(ClusteringRequest request);
}
