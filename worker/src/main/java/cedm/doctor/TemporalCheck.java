package cedm.doctor;

import cedm.runtime.ConnectionOptions;
import io.temporal.api.workflowservice.v1.DescribeNamespaceRequest;
import io.temporal.serviceclient.WorkflowServiceStubs;
import java.io.IOException;
import java.util.concurrent.TimeUnit;

/** The Temporal endpoint answers and knows the namespace. */
public final class TemporalCheck {
  private static final long TIMEOUT_SECONDS = 10;

  private TemporalCheck() {}

  public static Check check(ConnectionOptions options) {
    String where = options.target() + " namespace " + options.namespace();
    WorkflowServiceStubs stubs;
    try {
      stubs = options.connect();
    } catch (IOException e) {
      return Check.fail("temporal", e.getMessage());
    }
    try {
      stubs.healthCheck();
      var answer = stubs.blockingStub().withDeadlineAfter(TIMEOUT_SECONDS, TimeUnit.SECONDS)
          .describeNamespace(DescribeNamespaceRequest.newBuilder().setNamespace(options.namespace()).build());
      return Check.ok("temporal", where + ": answers, namespace state "
          + answer.getNamespaceInfo().getState().name().replace("NAMESPACE_STATE_", "").toLowerCase());
    } catch (RuntimeException e) {
      String why = where + ": " + e.getMessage().lines().findFirst().orElse("");
      // Nothing named a server: fine for `cedm run`, which embeds its own; a worker or `cedm submit` needs one.
      return options.configured() ? Check.fail("temporal", why + " (is the server up? --target, TEMPORAL_ADDRESS)")
          : Check.warn("temporal", why + ": no server named (--target, TEMPORAL_ADDRESS or a profile) and none at "
              + "the default; `cedm run` embeds one, a worker needs one (`cedm server`)");
    } finally {
      stubs.shutdownNow();
    }
  }
}
