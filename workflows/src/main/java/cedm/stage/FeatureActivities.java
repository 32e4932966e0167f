package cedm.stage;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/** Stage 1: frozen-network features of every image, then their nearest neighbours. */
@ActivityInterface
public interface FeatureActivities {
  /** Runs on the GPU queue: one extraction per device. */
  @ActivityMethod(name = "features")
  FeaturesArtifact extractFeatures(FeaturesRequest request);
}
