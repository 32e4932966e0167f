package cedm.activities;

import cedm.stage.ClusteringActivities;
import cedm.stage.DatasetActivities;
import cedm.stage.EvaluationActivities;
import cedm.stage.FeatureActivities;
import cedm.stage.KnnActivities;
import cedm.stage.TrainingActivities;
import cedm.store.ArtifactStore;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.testing.TestActivityEnvironment;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Runs a stage's implementation as a worker does, inside an activity (heartbeats, cancellation),
 * one attempt each; the environments close after the test class.
 */
final class ActivityStubs implements AfterAllCallback {
  private static final ActivityOptions ONE_ATTEMPT = ActivityOptions.newBuilder()
      .setStartToCloseTimeout(Duration.ofMinutes(30))
      .setRetryOptions(RetryOptions.newBuilder().setMaximumAttempts(1).build())
      .build();
  private final List<TestActivityEnvironment> environments = new CopyOnWriteArrayList<>();

  DatasetActivities dataset(ArtifactStore store) {
    return of(DatasetActivities.class, new DatasetActivitiesImpl(store));
  }

  FeatureActivities features(ArtifactStore store) {
    return of(FeatureActivities.class, new FeatureActivitiesImpl(store, DevicePool.cpu(1).slot(0)));
  }

  KnnActivities knn(ArtifactStore store) {
    return of(KnnActivities.class, new KnnActivitiesImpl(store));
  }

  ClusteringActivities clustering(ArtifactStore store) {
    return of(ClusteringActivities.class, new ClusteringActivitiesImpl(store, DevicePool.cpu(1).slot(0)));
  }

  TrainingActivities training(ArtifactStore store) {
    return of(TrainingActivities.class, new TrainingActivitiesImpl(store, DevicePool.cpu(1).slot(0)));
  }

  EvaluationActivities evaluation(ArtifactStore store) {
    return of(EvaluationActivities.class, new EvaluationActivitiesImpl(store, DevicePool.cpu(1).slot(0)));
  }

  private <T> T of(Class<T> contract, Object implementation) {
    TestActivityEnvironment env = TestActivityEnvironment.newInstance();
    env.registerActivitiesImplementations(implementation);
    environments.add(env);
    return env.newActivityStub(contract, ONE_ATTEMPT);
  }

  @Override
  public void afterAll(ExtensionContext context) {
    environments.forEach(TestActivityEnvironment::close);
    environments.clear();
  }
}
