package cedm.io;

import java.io.IOException;

/** Input that no retry can fix (a dataset, a model file, a parameter); the message names the file and what is wrong. */
public final class BadInputException extends IOException {
  public BadInputException(String message) {
    super(message);
  }

  public BadInputException(String message, Throwable cause) {
    super(message, cause);
  }
}
