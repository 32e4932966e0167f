package cedm.workflow;

import cedm.spec.ExperimentSpec;

/** A sweep to run: its id (derived from the spec) and the checked spec. */
public record SweepRequest(String sweepId, ExperimentSpec spec) {}
