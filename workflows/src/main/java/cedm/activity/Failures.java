package cedm.activity;

/** Failure types shared by activities and workflows. */
public final class Failures {
  /** Bad user input (dataset, model file, spec): retrying cannot help. */
  public static final String INVALID_INPUT = "InvalidInput";

  private Failures() {}
}
