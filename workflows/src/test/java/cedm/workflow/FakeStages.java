package cedm.workflow;

import cedm.spec.ExperimentSpec;
import cedm.stage.ClusteringActivities;
import cedm.stage.ClusteringArtifact;
import cedm.stage.ClusteringRequest;
import cedm.stage.DatasetActivities;
import cedm.stage.DatasetArtifact;
import cedm.stage.DatasetRequest;
import cedm.stage.EvaluationActivities;
import cedm.stage.EvaluationArtifact;
import cedm.stage.EvaluationRequest;
import cedm.stage.FeatureActivities;
import cedm.stage.FeaturesArtifact;
import cedm.stage.FeaturesRequest;
import cedm.stage.KnnActivities;
import cedm.stage.KnnArtifact;
import cedm.stage.KnnRequest;
import cedm.stage.RunLabels;
import cedm.stage.SnapshotArtifact;
import cedm.stage.TrainingActivities;
import cedm.stage.TrainingArtifact;
import cedm.stage.TrainingRequest;
import io.temporal.client.WorkflowOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.ToDoubleFunction;

/** Every stage faked: clustering at C reports the utilisation the test gives for C; training records its request. */
final class FakeStages implements DatasetActivities, FeatureActivities, KnnActivities, ClusteringActivities,
    TrainingActivities, EvaluationActivities {
  /**
   * Serves the sweep's workflows and these stages on {@code spec}'s queues, starts {@code env} and
   * returns a stub for the sweep {@code sweepId}.
   */
  /** Sweeps served from now on continue as new after this many events. */
  FakeStages continuingAsNewAfter(int events) {
    historyLimit = events;
    return this;
  }

  SweepWorkflow serve(TestWorkflowEnvironment env, ExperimentSpec spec, String sweepId) {
    Worker cpu = env.newWorker(spec.runtime().cpuQueue());
    cpu.registerWorkflowImplementationFactory(SweepWorkflow.class, () -> new SweepWorkflowImpl(historyLimit));
    cpu.registerWorkflowImplementationTypes(CmaxSearchWorkflowImpl.class, TrialWorkflowImpl.class);
    cpu.registerActivitiesImplementations(this);
    env.newWorker(spec.runtime().gpuQueue()).registerActivitiesImplementations(this);
    env.start();
    return env.getWorkflowClient().newWorkflowStub(SweepWorkflow.class,
        WorkflowOptions.newBuilder().setWorkflowId(sweepId).setTaskQueue(spec.runtime().cpuQueue()).build());
  }

  final List<String> clustered = new CopyOnWriteArrayList<>();
  final List<RunLabels> clusteredFor = new CopyOnWriteArrayList<>();
  final List<TrainingRequest> trained = new CopyOnWriteArrayList<>();
  final List<EvaluationRequest> evaluated = new CopyOnWriteArrayList<>();
  final List<String> snapshotted = new CopyOnWriteArrayList<>();
  /** Snapshots made fresh (not reused), "trial@kimg": the store memoises each (training, kimg) once. */
  final Set<String> produced = ConcurrentHashMap.newKeySet();
  private final ToDoubleFunction<Integer> utilisation;
  private int historyLimit = SweepWorkflowImpl.DEFAULT_HISTORY_LIMIT;
  volatile long clusteringMillis;
  volatile String failFor;
  /** FID of each set of a snapshot's evaluation, by trial, kimg and sets; null: 60 at 1 kimg, else 45. */
  volatile SnapshotFid snapshotFid;
  /** Called as a snapshot is asked for, before it is made (a test may end the sweep there). */
  volatile java.util.function.Consumer<String> onSnapshot = s -> {};

  interface SnapshotFid {
    List<Double> of(String trial, double kimg, int sets);
  }

  FakeStages(ToDoubleFunction<Integer> utilisation) {
    this.utilisation = utilisation;
  }

  /** Utilisations from a table; C values not in it are fully used. */
  static FakeStages table(Map<Integer, Double> published) {
    return new FakeStages(c -> published.getOrDefault(c, 1.0));
  }

  @Override
  public DatasetArtifact importDataset(DatasetRequest request) {
    return new DatasetArtifact("data1", false, 2000, 32, 32, true, 8, 0, "digest");
  }

  @Override
  public FeaturesArtifact extractFeatures(FeaturesRequest request) {
    return new FeaturesArtifact("feat1", false, 2000, 128, 0, "builtin", 0);
  }

  @Override
  public KnnArtifact mineNeighbours(KnnRequest request) {
    return new KnnArtifact("knn1", false, 2000, request.m(), 0.9);
  }

  @Override
  public ClusteringArtifact cluster(ClusteringRequest request) {
    String id = request.method().id() + "-C=" + request.clusters();
    clustered.add(id);
    clusteredFor.add(request.labels());
    if (id.equals(failFor)) {
      throw io.temporal.failure.ApplicationFailure.newNonRetryableFailure("out of memory at " + id, "InvalidInput");
    }
    if (clusteringMillis > 0) {
      try {
        Thread.sleep(clusteringMillis);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    double r = utilisation.applyAsDouble(request.clusters());
    int used = (int) Math.round(r * request.clusters());
    return new ClusteringArtifact("clu-" + id, false, request.method(), request.clusters(), used, r, 0.1, List.of(1.0),
        0, 1.0, null);
  }

  @Override
  public TrainingArtifact train(TrainingRequest request) {
    trained.add(request);
    return new TrainingArtifact("edm-" + request.labels().trial(), false, request.labels().trial(), 3, 1000,
        request.training().durationMimg() * 1000, 10, 0.5, 0);
  }

  @Override
  public SnapshotArtifact snapshot(TrainingRequest request, double kimg) {
    String trial = request.labels().trial();
    snapshotted.add(trial + "@" + kimg);
    onSnapshot.accept(trial + "@" + kimg);
    boolean reused = !produced.add(trial + "@" + kimg);
    return new SnapshotArtifact("snap-" + trial + "@" + kimg, reused, trial, kimg, "edm-" + trial);
  }

  @Override
  public EvaluationArtifact evaluate(EvaluationRequest request) {
    evaluated.add(request);
    SnapshotFid fids = snapshotFid;
    if (request.snapshotId() != null && fids != null) {
      double kimg = Double.parseDouble(request.snapshotId().substring(request.snapshotId().indexOf('@') + 1));
      return new EvaluationArtifact("eval-" + request.snapshotId() + "x" + request.evaluation().sets(), false,
          request.labels().trial(), true, request.evaluation().samplesPerSet(),
          Map.of("fid", fids.of(request.labels().trial(), kimg, request.evaluation().sets())));
    }
    if (request.snapshotId() != null) {
      // Snapshots improve with training: FID 60 at the first, 45 at the second.
      double fid = request.snapshotId().endsWith("@1.0") ? 60 : 45;
      return new EvaluationArtifact("eval-" + request.snapshotId(), false, request.labels().trial(), true, 100,
          Map.of("fid", List.of(fid)));
    }
    return new EvaluationArtifact("eval-" + request.labels().trial(), false, request.labels().trial(), true, 10,
        Map.of("fid", List.of(30.0, 32.0)));
  }
}
