package cedm.data;

import java.io.IOException;

/** Input data that cannot be used; the message names the file and what is wrong with it. */
public final class DatasetException extends IOException {
  public DatasetException(String message) {
    super(message);
  }

  public DatasetException(String message, Throwable cause) {
    super(message, cause);
  }
}
