package cedm.workflow;

/** Where a grid point stands in its sweep. */
public enum TrialState { PENDING, RUNNING, DONE, FAILED }
