package cedm.stage;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.temporal.api.common.v1.ActivityType;
import io.temporal.api.enums.v1.RetryState;
import io.temporal.api.enums.v1.TimeoutType;
import io.temporal.api.failure.v1.ActivityFailureInfo;
import io.temporal.api.failure.v1.ApplicationFailureInfo;
import io.temporal.api.failure.v1.Failure;
import io.temporal.api.failure.v1.TimeoutFailureInfo;
import io.temporal.common.converter.DefaultDataConverter;
import io.temporal.failure.DefaultFailureConverter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.NoSuchFileException;
import org.junit.jupiter.api.Test;

/** The one line users read for the chains Temporal and Java hand over. */
class FailureMessageTest {
  private static final Failure OUT_OF_MEMORY = Failure.newBuilder().setMessage("CUDA out of memory")
      .setApplicationFailureInfo(ApplicationFailureInfo.newBuilder().setType("ai.djl.engine.EngineException")).build();

  /** As a workflow receives it from the server. */
  private static Throwable activityFailed(Failure cause) {
    Failure activity = Failure.newBuilder().setMessage("Activity task failed").setCause(cause)
        .setActivityFailureInfo(ActivityFailureInfo.newBuilder().setActivityType(ActivityType.newBuilder().setName("Train"))
            .setRetryState(RetryState.RETRY_STATE_MAXIMUM_ATTEMPTS_REACHED)).build();
    return new DefaultFailureConverter().failureToException(activity, DefaultDataConverter.STANDARD_INSTANCE);
  }

  @Test
  void anActivitysOwnMessageWithoutTheLayersThatCarriedIt() {
    assertEquals("CUDA out of memory", FailureMessage.of(activityFailed(OUT_OF_MEMORY)));
  }

  @Test
  void aLastAttemptThatTimedOutNamesTheTimeoutAndTheFailureBeforeIt() {
    Failure timeout = Failure.newBuilder().setMessage("activity Heartbeat timeout").setCause(OUT_OF_MEMORY)
        .setTimeoutFailureInfo(TimeoutFailureInfo.newBuilder().setTimeoutType(TimeoutType.TIMEOUT_TYPE_HEARTBEAT)).build();
    assertEquals("timed out (heartbeat timeout); the attempt before: CUDA out of memory",
        FailureMessage.of(activityFailed(timeout)));
  }

  @Test
  void javaWrappersGiveTheFirstMessageOfTheirOwnWithTheFile() {
    assertEquals("/data/x.npy", FailureMessage.of(new UncheckedIOException(new NoSuchFileException("/data/x.npy"))));
    assertEquals("reading chunk 3", FailureMessage.of(new UncheckedIOException("reading chunk 3", new IOException("x"))));
    assertEquals("disk full", FailureMessage.of(new IllegalStateException(" ", new IOException("disk full"))));
    assertEquals("NullPointerException", FailureMessage.of(new NullPointerException()));
  }
}
