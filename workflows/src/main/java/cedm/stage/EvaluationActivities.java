package cedm.stage;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/** Stage 6: S sets of N samples from a trained model, scored by the spec's metrics (GPU queue; sharded). */
@ActivityInterface
public interface EvaluationActivities {
  @ActivityMethod(name = "evaluation")
  EvaluationArtifact evaluate(EvaluationRequest request);
}
