package cedm.workflow;

/** Where a stage of a sweep stands. */
public enum StageState { PENDING, RUNNING, DONE, FAILED }
