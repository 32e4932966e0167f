package cedm.stage;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/** Stage 2: kNN mining over the features (TEMI's neighbour pairs). */
@ActivityInterface
public interface KnnActivities {
  @ActivityMethod(name = "knn")
  KnnArtifact mineNeighbours(KnnRequest request);
}
