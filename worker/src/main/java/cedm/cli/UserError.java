package cedm.cli;

/** A mistake the user can fix: printed as one message, no stack trace. */
final class UserError extends RuntimeException {
  final int exitCode;

  UserError(String message, int exitCode) {
    super(message);
    this.exitCode = exitCode;
  }
}
