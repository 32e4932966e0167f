package cedm.activity;

/** Heartbeat details of a running stage: how far it is, for progress bars and stall alerts. */
public record StageProgress(String stage, long done, long total, String unit) {}
