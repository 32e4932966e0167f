package cedm.store;

/** The store's directory cannot hold artifacts: it is a file, or cannot be created or written. */
public final class UnusableStoreException extends RuntimeException {
  public UnusableStoreException(String message, Throwable cause) {
    super(message, cause);
  }
}
