package cedm.stage;

import java.util.List;

/** Failure types shared by activities and workflows. */
public final class Failures {
  /** Bad user input (dataset, model file, spec): retrying cannot help. */
  public static final String INVALID_INPUT = "InvalidInput";
  /** NaN or infinite values in features, clusters, losses or weights: recomputing the same inputs gives them again. */
  public static final String NON_FINITE = "NonFinite";
  /** An array larger than the JVM can hold: the input, not the worker, is at fault. */
  public static final String TOO_LARGE = "ArrayTooLarge";
  /** The types no retry can heal. */
  public static final List<String> FINAL = List.of(INVALID_INPUT, NON_FINITE, TOO_LARGE);

  private Failures() {}
}
