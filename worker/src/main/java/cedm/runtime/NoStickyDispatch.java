package cedm.runtime;

import io.grpc.ForwardingServerCallListener.SimpleForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.temporal.api.workflowservice.v1.RespondWorkflowTaskCompletedRequest;
import io.temporal.api.workflowservice.v1.WorkflowServiceGrpc;

/**
 * Keeps the embedded server from dispatching workflow tasks to a worker's sticky queue. The Java
 * test server never falls back from a sticky queue to the normal one (it ignores the sticky
 * schedule-to-start timeout), so once a worker died, the next workflow task of each of its sweeps
 * waited forever on the dead worker's queue. Without sticky attributes every workflow task goes to
 * the shared queue, and whichever worker takes it replays the history: a few milliseconds for a
 * sweep, against stages that run for minutes to days.
 */
final class NoStickyDispatch implements ServerInterceptor {
  private static final String COMPLETED = WorkflowServiceGrpc.getRespondWorkflowTaskCompletedMethod().getFullMethodName();

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
      ServerCallHandler<Q, R> next) {
    ServerCall.Listener<Q> listener = next.startCall(call, headers);
    if (!call.getMethodDescriptor().getFullMethodName().equals(COMPLETED)) {
      return listener;
    }
    return new SimpleForwardingServerCallListener<>(listener) {
      @Override
      @SuppressWarnings("unchecked")
      public void onMessage(Q message) {
        super.onMessage((Q) ((RespondWorkflowTaskCompletedRequest) message).toBuilder().clearStickyAttributes().build());
      }
    };
  }
}
