package cedm.runtime;

import com.google.protobuf.Timestamp;
import io.grpc.ForwardingServerCallListener.SimpleForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.temporal.api.enums.v1.TaskQueueType;
import io.temporal.api.taskqueue.v1.PollerInfo;
import io.temporal.api.workflowservice.v1.DescribeTaskQueueRequest;
import io.temporal.api.workflowservice.v1.DescribeTaskQueueResponse;
import io.temporal.api.workflowservice.v1.PollActivityTaskQueueRequest;
import io.temporal.api.workflowservice.v1.PollWorkflowTaskQueueRequest;
import io.temporal.api.workflowservice.v1.RecordActivityTaskHeartbeatRequest;
import io.temporal.api.workflowservice.v1.WorkflowServiceGrpc;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * DescribeTaskQueue's pollers for the embedded server, which (the Java test server) does not answer
 * it: the polls that pass through are remembered per namespace, queue and type, and a poller is
 * listed while one of its polls is open or for {@link #REMEMBERED} after its last poll or
 * heartbeat, as a
 * Temporal cluster lists the pollers of the last few minutes. `cedm submit` and `cedm status` ask
 * it which of a sweep's queues nobody polls.
 */
final class TaskQueuePollers implements ServerInterceptor {
  /** A worker polls again at once after each poll; one that has not for this long is gone. */
  static final Duration REMEMBERED = Duration.ofSeconds(70);
  private static final String POLL_ACTIVITY = WorkflowServiceGrpc.getPollActivityTaskQueueMethod().getFullMethodName();
  private static final String POLL_WORKFLOW = WorkflowServiceGrpc.getPollWorkflowTaskQueueMethod().getFullMethodName();
  private static final String DESCRIBE = WorkflowServiceGrpc.getDescribeTaskQueueMethod().getFullMethodName();
  private static final String HEARTBEAT = WorkflowServiceGrpc.getRecordActivityTaskHeartbeatMethod().getFullMethodName();

  private record Key(String namespace, String queue, TaskQueueType type) {}

  /** One poller's state: its open polls and when it last polled or heartbeat. */
  private static final class Poller {
    int open;
    Instant last;

    Poller(Instant now) {
      last = now;
    }
  }

  private final Map<Key, Map<String, Poller>> pollers = new ConcurrentHashMap<>();
  private final Clock clock;

  TaskQueuePollers(Clock clock) {
    this.clock = clock;
  }

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
      ServerCallHandler<Q, R> next) {
    String method = call.getMethodDescriptor().getFullMethodName();
    if (method.equals(DESCRIBE)) {
      return answer(call);
    }
    if (method.equals(HEARTBEAT)) {
      return new SimpleForwardingServerCallListener<>(next.startCall(call, headers)) {
        @Override
        public void onMessage(Q message) {
          alive(((RecordActivityTaskHeartbeatRequest) message).getIdentity());
          super.onMessage(message);
        }
      };
    }
    if (!method.equals(POLL_ACTIVITY) && !method.equals(POLL_WORKFLOW)) {
      return next.startCall(call, headers);
    }
    PollCall polling = new PollCall();
    ServerCall.Listener<Q> listener = next.startCall(new io.grpc.ForwardingServerCall.SimpleForwardingServerCall<>(call) {
      @Override
      public void close(Status status, Metadata trailers) {
        ended(polling);
        super.close(status, trailers);
      }
    }, headers);
    return new SimpleForwardingServerCallListener<>(listener) {
      @Override
      public void onMessage(Q message) {
        Key key;
        String identity;
        if (message instanceof PollActivityTaskQueueRequest p) {
          key = new Key(p.getNamespace(), p.getTaskQueue().getName(), TaskQueueType.TASK_QUEUE_TYPE_ACTIVITY);
          identity = p.getIdentity();
        } else {
          PollWorkflowTaskQueueRequest p = (PollWorkflowTaskQueueRequest) message;
          key = new Key(p.getNamespace(), p.getTaskQueue().getName(), TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW);
          identity = p.getIdentity();
        }
        started(key, identity, polling);
        super.onMessage(message);
      }

      @Override
      public void onCancel() {
        ended(polling);
        super.onCancel();
      }
    };
  }

  private void started(Key key, String identity, PollCall polling) {
    Poller p = pollers.computeIfAbsent(key, k -> new ConcurrentHashMap<>()).computeIfAbsent(identity, i -> new Poller(clock.instant()));
    synchronized (p) {
      p.open++;
      p.last = clock.instant();
    }
    polling.start(p);
  }

  /**
   * A worker that heartbeats a stage is alive, though it may not poll while its slots are busy: its
   * pollers stay listed.
   */
  private void alive(String identity) {
    Instant now = clock.instant();
    for (Map<String, Poller> byIdentity : pollers.values()) {
      Poller p = byIdentity.get(identity);
      if (p != null) {
        synchronized (p) {
          p.last = now;
        }
      }
    }
  }

  /** Once per call, whether it closed or was cancelled (a worker that died). */
  private void ended(PollCall polling) {
    Poller p = polling.end();
    if (p != null) {
      synchronized (p) {
        p.open--;
        p.last = clock.instant();
      }
    }
  }

  /** One poll call: its poller once the request arrived, and whether it has ended. */
  private static final class PollCall {
    private Poller poller;
    private boolean ended;

    synchronized void start(Poller p) {
      poller = p;
    }

    /** The poller the first time the call ends, null after (or for a call that never got its request). */
    synchronized Poller end() {
      if (ended || poller == null) {
        return null;
      }
      ended = true;
      return poller;
    }
  }

  /** The pollers of the request's queue and type seen within {@link #REMEMBERED}. */
  DescribeTaskQueueResponse describe(DescribeTaskQueueRequest request) {
    TaskQueueType type = request.getTaskQueueType() == TaskQueueType.TASK_QUEUE_TYPE_UNSPECIFIED
        ? TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW : request.getTaskQueueType();
    Key key = new Key(request.getNamespace(), request.getTaskQueue().getName(), type);
    DescribeTaskQueueResponse.Builder response = DescribeTaskQueueResponse.newBuilder();
    Instant now = clock.instant();
    pollers.getOrDefault(key, Map.of()).forEach((identity, p) -> {
      synchronized (p) {
        if (p.open > 0 || p.last.plus(REMEMBERED).isAfter(now)) {
          response.addPollers(PollerInfo.newBuilder().setIdentity(identity)
              .setLastAccessTime(Timestamp.newBuilder().setSeconds(p.last.getEpochSecond()).setNanos(p.last.getNano())));
        }
      }
    });
    return response.build();
  }

  /** Answers DescribeTaskQueue here: the test server would say UNIMPLEMENTED. */
  @SuppressWarnings("unchecked")
  private <Q, R> ServerCall.Listener<Q> answer(ServerCall<Q, R> call) {
    call.request(2);
    return new ServerCall.Listener<>() {
      private Q request;

      @Override
      public void onMessage(Q message) {
        request = message;
      }

      @Override
      public void onHalfClose() {
        if (request == null) {
          call.close(Status.INVALID_ARGUMENT.withDescription("no request"), new Metadata());
          return;
        }
        call.sendHeaders(new Metadata());
        call.sendMessage((R) describe((DescribeTaskQueueRequest) request));
        call.close(Status.OK, new Metadata());
      }
    };
  }
}
