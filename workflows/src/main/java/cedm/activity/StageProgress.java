package cedm.activity;

/**
 * Heartbeat details of a running stage: how far it is, for progress bars and stall alerts, and
 * optionally a short detail such as a training's loss and newest checkpoint.
 */
public record StageProgress(String stage, long done, long total, String unit, String detail) {
  public StageProgress(String stage, long done, long total, String unit) {
    this(stage, done, total, unit, null);
  }
}
