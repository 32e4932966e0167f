package cedm.workflow;

import cedm.spec.ExperimentSpec;

/**
 * A sweep to run.
 *
 * @param carry the previous run's state when the sweep continued as new, else null
 * @param historyLimit events after which the sweep continues as new between trials
 */
public record SweepRequest(String sweepId, ExperimentSpec spec, SweepCarry carry, int historyLimit) {
  /** Well below Temporal's 51,200-event limit, with room for the trials still running. */
  public static final int DEFAULT_HISTORY_LIMIT = 10_000;

  public SweepRequest(String sweepId, ExperimentSpec spec) {
    this(sweepId, spec, null, DEFAULT_HISTORY_LIMIT);
  }
}
