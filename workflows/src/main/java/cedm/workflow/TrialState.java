package cedm.workflow;

/**
 * Where a grid point stands in its sweep. With successive halving a point is WAITING at a rung
 * until the rung's decision, then PENDING again (it continues) or STOPPED.
 */
public enum TrialState {
  PENDING, RUNNING, WAITING, DONE, STOPPED, FAILED;

  /** The point will not run again in this sweep (unless the sweep is resumed after failing). */
  public boolean ended() {
    return this == DONE || this == STOPPED || this == FAILED;
  }
}
