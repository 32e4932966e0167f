package cedm.runtime;

import cedm.spec.ExperimentSpec;
import cedm.spec.LoadedSpec;
import cedm.spec.RuntimeSpec;
import cedm.stage.FailureMessage;
import cedm.stage.StageProgress;
import cedm.stage.TimeSpan;
import cedm.workflow.CmaxSearchWorkflow;
import cedm.workflow.Probe;
import cedm.workflow.StageOptions;
import cedm.workflow.SweepPhase;
import cedm.workflow.SweepRequest;
import cedm.workflow.SweepResult;
import cedm.workflow.SweepStatus;
import cedm.workflow.SweepWorkflow;
import io.grpc.StatusRuntimeException;
import io.temporal.api.common.v1.Payloads;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.enums.v1.PendingActivityState;
import io.temporal.api.enums.v1.TaskQueueKind;
import io.temporal.api.enums.v1.TaskQueueType;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.api.enums.v1.WorkflowIdConflictPolicy;
import io.temporal.api.taskqueue.v1.TaskQueue;
import io.temporal.api.workflow.v1.PendingActivityInfo;
import io.temporal.api.workflowservice.v1.DescribeTaskQueueRequest;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionRequest;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionResponse;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/** Submits, watches, cancels and resumes sweeps on a Temporal service. */
public final class SweepClient {
  private static final int QUERY_SECONDS = 15;
  /** A closed sweep's query replays its whole history; without a worker the cause alone is shown sooner. */
  private static final int CLOSED_QUERY_SECONDS = 5;
  private static final java.util.concurrent.Executor QUERIES = java.util.concurrent.Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "cedm-status-query");
    t.setDaemon(true);
    return t;
  });
  private final WorkflowClient client;
  private final SweepRecords records;

  public SweepClient(WorkflowClient client, SweepRecords records) {
    this.client = client;
    this.records = records;
  }

  /**
   * @param runId the Temporal run; two submissions of one spec share it
   * @param attached the sweep was already running and this submission joined it
   */
  public record Submission(String sweepId, String runId, boolean attached) {}

  /** Starts the sweep of {@code spec}, or attaches to it if it is running already. */
  public Submission submit(LoadedSpec spec) throws IOException {
    records.save(spec.sweepId(), spec);
    return start(spec.sweepId(), spec.spec());
  }

  /** Starts a failed, cancelled or lost sweep again; finished stages are reused from the store. */
  public Submission resume(String sweepId) throws IOException {
    return start(sweepId, records.load(sweepId));
  }

  private Submission start(String sweepId, ExperimentSpec spec) {
    Optional<DescribeWorkflowExecutionResponse> current = describeIfKnown(sweepId);
    if (current.isPresent() && current.get().getWorkflowExecutionInfo().getStatus()
        == WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING) {
      return new Submission(sweepId, current.get().getWorkflowExecutionInfo().getExecution().getRunId(), true);
    }
    SweepWorkflow sweep = client.newWorkflowStub(SweepWorkflow.class, WorkflowOptions.newBuilder()
        .setWorkflowId(sweepId)
        .setTaskQueue(spec.runtime().cpuQueue())
        .setWorkflowIdConflictPolicy(WorkflowIdConflictPolicy.WORKFLOW_ID_CONFLICT_POLICY_USE_EXISTING)
        .build());
    WorkflowExecution execution = WorkflowClient.start(sweep::run, new SweepRequest(sweepId, spec));
    return new Submission(execution.getWorkflowId(), execution.getRunId(), false);
  }

  public boolean isRunning(String sweepId) {
    return state(sweepId).filter(s -> s == WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING).isPresent();
  }

  /** The latest run's state, or empty if the server does not know the sweep. */
  public Optional<WorkflowExecutionStatus> state(String sweepId) {
    return describeIfKnown(sweepId).map(d -> d.getWorkflowExecutionInfo().getStatus());
  }

  private Optional<DescribeWorkflowExecutionResponse> describeIfKnown(String sweepId) {
    try {
      return Optional.of(describe(sweepId));
    } catch (io.grpc.StatusRuntimeException e) {
      if (e.getStatus().getCode() == io.grpc.Status.Code.NOT_FOUND) {
        return Optional.empty();
      }
      throw e;
    }
  }

  /**
   * A running sweep answers a query; a finished one is read from its recorded result, so no
   * worker needs to be up; a failed or cancelled one reports why.
   */
  public SweepStatus status(String sweepId) {
    return status(sweepId, state(sweepId).orElse(WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_UNSPECIFIED));
  }

  /**
   * {@link #status(String)} when the caller has just read the sweep's {@code state}. A failed sweep
   * is queried too (a worker replays its history up to the failure, with every stage's report);
   * with no worker up, only its cause is known.
   */
  public SweepStatus status(String sweepId, WorkflowExecutionStatus state) {
    if (state == WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING) {
      return query(sweepId, QUERY_SECONDS).orElseGet(() -> new SweepStatus(sweepId, SweepPhase.UNANSWERED, "no worker "
          + "answered the status query within " + QUERY_SECONDS + " s (is a `cedm worker` up?)", List.of(), null, List.of(), List.of(), List.of()));
    }
    try {
      return finished(result(sweepId));
    } catch (io.temporal.client.WorkflowException e) {
      String why = FailureMessage.of(e);
      return query(sweepId, CLOSED_QUERY_SECONDS).orElseGet(
          () -> new SweepStatus(sweepId, SweepPhase.ENDED, why, List.of(), null, List.of(), List.of(), List.of()));
    }
  }

  /** The sweep's answer to the status query; empty when no worker answers in time. */
  private Optional<SweepStatus> query(String sweepId, int seconds) {
    java.util.concurrent.CompletableFuture<SweepStatus> query = java.util.concurrent.CompletableFuture.supplyAsync(
        () -> client.newWorkflowStub(SweepWorkflow.class, sweepId).status(), QUERIES);
    try {
      return Optional.of(query.get(seconds, java.util.concurrent.TimeUnit.SECONDS));
    } catch (java.util.concurrent.TimeoutException | java.util.concurrent.ExecutionException e) {
      query.cancel(true);
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** A finished sweep's status, from its result. */
  public static SweepStatus finished(SweepResult r) {
    return new SweepStatus(r.sweepId(), SweepPhase.DONE, r.stages(), r.cmax() == null ? null : r.cmax().cMax(),
        r.cmax() == null ? List.of() : r.cmax().evidence(), r.trials(), r.rungs());
  }

  /** The running C_max search's probes so far (empty when it is not running). */
  public List<Probe> searchEvidence(String sweepId) {
    String search = sweepId + "/cmax";
    if (state(search).filter(s -> s == WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING).isEmpty()) {
      return List.of();
    }
    return client.newWorkflowStub(CmaxSearchWorkflow.class, search).evidence();
  }

  /** Signals a running sweep to add grid points; false if it is not running. */
  public boolean addPoints(String sweepId, List<Integer> clusters) {
    if (!isRunning(sweepId)) {
      return false;
    }
    client.newWorkflowStub(SweepWorkflow.class, sweepId).addPoints(clusters);
    return true;
  }

  /**
   * A stage whose activity is scheduled or running.
   *
   * @param attempt 1 on the first try; more means earlier attempts failed with {@code lastFailure}
   * @param maxAttempts the attempts it has before it fails for good (0: unlimited)
   * @param progress the last heartbeat's progress, or null before the first one
   * @param activityType the stage's activity type (its stage name: features, knn, clustering, ...)
   * @param started a worker is running it (not only scheduled)
   * @param worker the identity (pid@host) of the worker that took it last, empty before any did
   * @param workflowId the workflow that runs it: the sweep, its search or one of its trials
   * @param waiting set when it is scheduled on a queue that no worker polls, null otherwise
   */
  public record RunningStage(String stage, int attempt, int maxAttempts, String lastFailure, StageProgress progress, String activityType,
      boolean started, String worker, String workflowId, Waiting waiting) {
    /** How people see it: its progress's label ("training temi-C=8"), or the stage's name before a heartbeat. */
    public String label() {
      return progress != null ? progress.label() : stage;
    }
  }

  /**
   * The pending stage activities of the sweep and of its search and trials (child workflows),
   * with their heartbeat progress and retry state.
   */
  public List<RunningStage> running(String sweepId) {
    List<DescribeWorkflowExecutionResponse> executions = new ArrayList<>();
    DescribeWorkflowExecutionResponse sweep = describe(sweepId);
    executions.add(sweep);
    for (var child : sweep.getPendingChildrenList()) {
      describeIfKnown(child.getWorkflowId()).ifPresent(executions::add);
    }
    QueueCheck queues = new QueueCheck(() -> runtimeOf(sweepId), executions);
    List<RunningStage> running = new ArrayList<>();
    executions.forEach(e -> collect(e, running, queues));
    return running;
  }

  /** A stage scheduled on a queue that no worker polls: since when, and what a worker needs to take it. */
  public record Waiting(String queue, String workerNeeds, Duration since) {
    public String describe() {
      return "waiting " + TimeSpan.of(since) + ": no worker polls " + queue + "; it needs " + workerNeeds;
    }
  }

  /**
   * The queues of the sweep's spec that no worker polls now (DescribeTaskQueue); empty when the
   * server cannot say (an implementation without that call).
   */
  public Optional<List<SweepQueues.Need>> unpolled(RuntimeSpec runtime) {
    QueueCheck check = new QueueCheck(() -> Optional.of(runtime), List.of());
    List<SweepQueues.Need> out = new ArrayList<>();
    for (SweepQueues.Need need : SweepQueues.of(runtime)) {
      Optional<Boolean> polled = check.polled(need.queue(), need.devices() == 0);
      if (polled.isEmpty()) {
        return Optional.empty();
      }
      if (!polled.get()) {
        out.add(need);
      }
    }
    return Optional.of(out);
  }

  private Optional<RuntimeSpec> runtimeOf(String sweepId) {
    try {
      return Optional.of(records.load(sweepId).runtime());
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  /**
   * DescribeTaskQueue for one status read, each queue asked once. A queue on which one of the
   * sweep's stages runs is served: a worker busy with its only slot sends no polls, and a server
   * forgets pollers that have not polled for a while.
   */
  private final class QueueCheck {
    private final Supplier<Optional<RuntimeSpec>> runtimeSource;
    private final List<DescribeWorkflowExecutionResponse> executions;
    private final Map<String, Optional<Boolean>> answers = new HashMap<>();
    private Optional<RuntimeSpec> runtime;
    private Set<String> busy;

    QueueCheck(Supplier<Optional<RuntimeSpec>> runtime, List<DescribeWorkflowExecutionResponse> executions) {
      this.runtimeSource = runtime;
      this.executions = executions;
    }

    /** The spec's runtime, read once and only when a stage is waiting to be taken. */
    private Optional<RuntimeSpec> runtime() {
      if (runtime == null) {
        runtime = runtimeSource.get();
      }
      return runtime;
    }

    /** The queues on which a stage of the sweep runs now. */
    private Set<String> busy() {
      if (busy == null) {
        busy = new HashSet<>();
        for (DescribeWorkflowExecutionResponse e : executions) {
          for (PendingActivityInfo a : e.getPendingActivitiesList()) {
            if (a.getState() == PendingActivityState.PENDING_ACTIVITY_STATE_STARTED) {
              StageOptions.queueOf(a.getActivityType().getName(), runtime().orElseThrow()).ifPresent(busy::add);
            }
          }
        }
      }
      return busy;
    }

    /** Whether a worker polls {@code queue} (its workflow side when {@code workflows}); empty when the server cannot say. */
    Optional<Boolean> polled(String queue, boolean workflows) {
      return answers.computeIfAbsent(queue + (workflows ? "/workflow" : "/activity"), k -> {
        try {
          return Optional.of(client.getWorkflowServiceStubs().blockingStub().describeTaskQueue(
              DescribeTaskQueueRequest.newBuilder()
                  .setNamespace(client.getOptions().getNamespace())
                  .setTaskQueue(TaskQueue.newBuilder().setName(queue).setKind(TaskQueueKind.TASK_QUEUE_KIND_NORMAL))
                  .setTaskQueueType(workflows ? TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW : TaskQueueType.TASK_QUEUE_TYPE_ACTIVITY)
                  .build()).getPollersCount() > 0);
        } catch (StatusRuntimeException e) {
          // Advice only: a server that does not answer (UNIMPLEMENTED, no permission, slow) says nothing.
          return Optional.empty();
        }
      });
    }

    /** Set for a stage that waits, scheduled on a queue that nobody polls. */
    Waiting waiting(PendingActivityInfo activity) {
      if (activity.getState() != PendingActivityState.PENDING_ACTIVITY_STATE_SCHEDULED || runtime().isEmpty()) {
        return null;
      }
      Optional<String> queue = StageOptions.queueOf(activity.getActivityType().getName(), runtime().get());
      if (queue.isEmpty() || busy().contains(queue.get()) || polled(queue.get(), false).orElse(true)) {
        return null;
      }
      String needs = SweepQueues.of(runtime().get()).stream().filter(n -> n.queue().equals(queue.get())).findFirst()
          .map(SweepQueues.Need::workerNeeds).orElse("a worker on that queue");
      Instant scheduled = Instant.ofEpochSecond(activity.getScheduledTime().getSeconds(), activity.getScheduledTime().getNanos());
      return new Waiting(queue.get(), needs, Duration.between(scheduled, Instant.now()));
    }
  }

  private void collect(DescribeWorkflowExecutionResponse execution, List<RunningStage> running, QueueCheck queues) {
    for (PendingActivityInfo activity : execution.getPendingActivitiesList()) {
      StageProgress progress = null;
      if (activity.hasHeartbeatDetails()) {
        Payloads details = activity.getHeartbeatDetails();
        progress = client.getOptions().getDataConverter()
            .fromPayloads(0, Optional.of(details), StageProgress.class, StageProgress.class);
      }
      String failure = activity.hasLastFailure() ? activity.getLastFailure().getMessage() : null;
      String stage = progress != null ? progress.stage() : activity.getActivityType().getName();
      running.add(new RunningStage(stage, activity.getAttempt(), activity.getMaximumAttempts(), failure, progress, activity.getActivityType().getName(),
          activity.getState() == PendingActivityState.PENDING_ACTIVITY_STATE_STARTED, activity.getLastWorkerIdentity(),
          execution.getWorkflowExecutionInfo().getExecution().getWorkflowId(), queues.waiting(activity)));
    }
  }

  /** Waits for the sweep to end; throws the workflow's failure if it failed. */
  public SweepResult result(String sweepId) {
    return WorkflowStub.fromTyped(client.newWorkflowStub(SweepWorkflow.class, sweepId)).getResult(SweepResult.class);
  }

  public void cancel(String sweepId) {
    client.newUntypedWorkflowStub(sweepId).cancel();
  }

  private DescribeWorkflowExecutionResponse describe(String sweepId) {
    return client.getWorkflowServiceStubs().blockingStub().describeWorkflowExecution(
        DescribeWorkflowExecutionRequest.newBuilder()
            .setNamespace(client.getOptions().getNamespace())
            .setExecution(WorkflowExecution.newBuilder().setWorkflowId(sweepId))
            .build());
  }
}
