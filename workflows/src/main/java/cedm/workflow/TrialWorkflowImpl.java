package cedm.workflow;

import cedm.spec.EvaluationSpec;
import cedm.spec.GridSpec;
import cedm.stage.ClusteringActivities;
import cedm.stage.ClusteringArtifact;
import cedm.stage.ClusteringRequest;
import cedm.stage.EvaluationActivities;
import cedm.stage.EvaluationArtifact;
import cedm.stage.EvaluationRequest;
import cedm.stage.RunLabels;
import cedm.stage.SnapshotArtifact;
import cedm.stage.TrainingActivities;
import cedm.stage.TrainingArtifact;
import cedm.stage.TrainingRequest;
import cedm.stage.TrainingRequest.Conditioning;
import io.temporal.workflow.Async;
import io.temporal.workflow.Promise;
import io.temporal.workflow.Workflow;
import java.util.ArrayList;
import java.util.List;

/**
 * A grid point's chain: its labels (clusters, the dataset's labels, or none), an EDM model trained
 * on them, and the model's scores over the spec's sample sets; with evaluation during
 * training, the model is trained in stretches up to each snapshot, whose evaluation runs beside
 * the next stretch, and the trial's FID curve ends with the final model. Under successive halving
 * the sweep runs the trial once per stretch between rungs: a run that ends at a rung evaluates the
 * snapshot there and returns the point WAITING for the rung's decision.
 */
public final class TrialWorkflowImpl implements TrialWorkflow {
  /** Snapshot and rung positions closer than this are the same position. */
  private static final double EPSILON_KIMG = 1e-6;

  @Override
  public TrialResult run(TrialRequest request) {
    GridPoint point = request.point();
    // Baselines have no C of their own: they stay off the metrics' C axis.
    RunLabels run = new RunLabels(request.sweepId(), point.id(),
        point.kind() == GridPoint.Kind.CLUSTERS ? point.clusters() : 0);
    ClusteringArtifact assignments = null;
    String labels;
    Conditioning conditioning;
    switch (point.kind()) {
      case UNCONDITIONAL -> {
        labels = "unconditional baseline: no labels";
        conditioning = Conditioning.UNCONDITIONAL;
      }
      case GROUND_TRUTH -> {
        labels = "ground-truth baseline: the labels of dataset " + request.datasetId();
        conditioning = Conditioning.DATASET_LABELS;
      }
      default -> {
        ClusteringActivities clustering = Workflow.newActivityStub(ClusteringActivities.class,
            StageOptions.of(ClusteringActivities.class, request.spec().runtime()));
        assignments = clustering.cluster(new ClusteringRequest(request.featuresId(), request.knnId(), point.method(),
            point.clusters(), request.spec().clustering(), request.spec().seed(), run));
        labels = assignments.describe();
        conditioning = Conditioning.CLUSTERS;
      }
    }
    TrainingActivities training = Workflow.newActivityStub(TrainingActivities.class,
        StageOptions.of(TrainingActivities.class, request.spec().runtime()));
    TrainingRequest train = new TrainingRequest(request.datasetId(), conditioning,
        assignments == null ? null : assignments.artifactId(), request.spec().training(), request.spec().seed(), run);
    EvaluationActivities evaluation = Workflow.newActivityStub(EvaluationActivities.class,
        StageOptions.of(EvaluationActivities.class, request.spec().runtime()));
    List<Snapshot> snapshots = new ArrayList<>();
    EvaluationSpec spec = request.spec().evaluation();
    Double rung = request.rungKimg();
    double until = rung != null ? rung : request.spec().training().durationMimg() * 1000;
    if (EvaluationSpec.DuringTraining.enabled(spec.duringTraining())) {
      // Each snapshot is evaluated on the GPU queue while the next stretch of training runs.
      for (double kimg : snapshotKimgs(spec.duringTraining().everyMimg(), request.spec().training().durationMimg())) {
        if (kimg <= request.fromKimg() + EPSILON_KIMG || kimg >= until - EPSILON_KIMG) {
          continue;
        }
        SnapshotArtifact snapshot = training.snapshot(train, kimg);
        if (snapshot.artifactId() != null) {
          snapshots.add(new Snapshot(snapshot, Async.function(evaluation::evaluate, new EvaluationRequest(
              snapshot.trainingId(), request.datasetId(), spec.forSnapshots(), run, snapshot.artifactId()))));
        }
      }
    }
    if (rung != null) {
      return atRung(request, training.snapshot(train, rung), evaluation, run, labels, assignments, snapshots);
    }
    TrainingArtifact model = training.train(train);
    String trained = labels + "; " + model.describe();
    EvaluationArtifact scores = evaluation.evaluate(new EvaluationRequest(model.artifactId(), request.datasetId(),
        spec, run));
    List<CurvePoint> curve = curve(snapshots);
    if (!curve.isEmpty() || request.fromKimg() > 0) {
      curve.add(new CurvePoint(model.kimg(), scores.fid(), scores.artifactId()));
    }
    return new TrialResult(point, TrialState.DONE, assignments, model, scores, trained + "; " + scores.describe(),
        curve);
  }

  /**
   * The end of a stretch at a rung of successive halving: the snapshot there, evaluated with the
   * rung's sets so that its spread is known; the point then waits for the sweep's decision.
   */
  private static TrialResult atRung(TrialRequest request, SnapshotArtifact snapshot, EvaluationActivities evaluation,
      RunLabels run, String labels, ClusteringArtifact assignments, List<Snapshot> snapshots) {
    GridSpec.SuccessiveHalving rule = request.spec().grid().successiveHalving();
    List<CurvePoint> curve = curve(snapshots);
    if (snapshot.artifactId() == null) {
      return new TrialResult(request.point(), TrialState.WAITING, assignments, null, null,
          labels + "; " + snapshot.describe(), curve);
    }
    EvaluationArtifact scores = evaluation.evaluate(new EvaluationRequest(snapshot.trainingId(), request.datasetId(),
        request.spec().evaluation().forSnapshots(rule.sets(), rule.samples()), run, snapshot.artifactId()));
    curve.add(new CurvePoint(snapshot.kimg(), scores.fid(), scores.artifactId()));
    return new TrialResult(request.point(), TrialState.WAITING, assignments, null, scores,
        labels + "; " + snapshot.describe() + ": " + scores.describe(), curve);
  }

  private static List<CurvePoint> curve(List<Snapshot> snapshots) {
    List<CurvePoint> curve = new ArrayList<>();
    for (Snapshot s : snapshots) {
      EvaluationArtifact e = s.scores().get();
      curve.add(new CurvePoint(s.snapshot().kimg(), e.fid(), e.artifactId()));
    }
    return curve;
  }

  private record Snapshot(SnapshotArtifact snapshot, Promise<EvaluationArtifact> scores) {}

  /** every_mimg, 2 every_mimg, ... below the training's duration (the final model closes the curve), in kimg. */
  static List<Double> snapshotKimgs(double everyMimg, double durationMimg) {
    List<Double> kimgs = new ArrayList<>();
    for (int i = 1; i * everyMimg < durationMimg * (1 - 1e-9); i++) {
      kimgs.add(i * everyMimg * 1000);
    }
    return kimgs;
  }
}
