package cedm.stage;

import io.temporal.client.WorkflowException;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ChildWorkflowFailure;
import io.temporal.failure.TemporalFailure;
import io.temporal.failure.TimeoutFailure;
import java.nio.file.FileSystemException;
import java.util.Locale;

/**
 * The one line that says what went wrong, from a chain of causes: past the layers that only carry a
 * cause (Temporal's workflow, child and activity wrappers; exceptions whose message is their
 * cause's or none) to the first that says something of its own, with the file a file-system error
 * names.
 */
public final class FailureMessage {
  private FailureMessage() {}

  public static String of(Throwable failure) {
    Throwable t = failure;
    while (t.getCause() != null && t.getCause() != t && carriesOnly(t)) {
      t = t.getCause();
    }
    if (t instanceof TimeoutFailure timeout) {
      // A stage whose last attempt timed out carries that attempt's failure as the cause.
      String what = "timed out (" + timeout.getTimeoutType().name().replace("TIMEOUT_TYPE_", "")
          .toLowerCase(Locale.ROOT).replace('_', ' ') + " timeout)";
      return t.getCause() == null || t.getCause() == t ? what : what + "; the attempt before: " + of(t.getCause());
    }
    String message = t instanceof TemporalFailure temporal ? temporal.getOriginalMessage() : t.getMessage();
    if (t instanceof FileSystemException fs && message != null && fs.getFile() != null
        && !message.contains(fs.getFile())) {
      message = fs.getFile() + ": " + message;
    }
    String line = message == null || message.isBlank() ? t.getClass().getSimpleName() : message.strip();
    int newline = line.indexOf('\n');
    return newline < 0 ? line : line.substring(0, newline);
  }

  private static boolean carriesOnly(Throwable t) {
    return t instanceof WorkflowException || t instanceof ChildWorkflowFailure || t instanceof ActivityFailure
        || t.getMessage() == null || t.getMessage().isBlank() || t.getMessage().equals(t.getCause().toString());
  }
}
