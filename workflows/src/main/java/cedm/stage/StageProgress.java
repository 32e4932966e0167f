package cedm.stage;

/**
 * Heartbeat details of a running stage: which stage runs for which trial, how far it is, for
 * progress bars and stall alerts, and optionally a short detail such as a training's loss and
 * newest checkpoint.
 *
 * @param stage the stage's name in the store ("training", "evaluation" ...)
 * @param trial the grid point or "cmax-search" it runs for; empty for the shared stages, and in
 *     heartbeats recorded before the field existed, null
 * @param clusters C, 0 when there is none
 * @param part what part of the stage runs now, for a stage of several passes (an evaluation's
 *     "prdc set 1"); null when it has one
 */
public record StageProgress(String stage, String trial, int clusters, String part, long done, long total, String unit,
    String detail) {

  /** A shared stage (dataset, features, kNN), which runs for no trial. */
  public StageProgress(String stage, long done, long total, String unit) {
    this(stage, "", 0, null, done, total, unit, null);
  }

  /** Where the stage that runs for {@code labels} is. */
  public static StageProgress of(String stage, RunLabels labels, long done, long total, String unit) {
    return new StageProgress(stage, labels.trial(), labels.clusters(), null, done, total, unit, null);
  }

  public StageProgress withDetail(String detail) {
    return new StageProgress(stage, trial, clusters, part, done, total, unit, detail);
  }

  public StageProgress withPart(String part) {
    return new StageProgress(stage, trial, clusters, part, done, total, unit, detail);
  }

  /**
   * How people see it, "training temi-C=8", "clustering cmax-search C=16 temi" (the search's probes
   * differ only by C), "evaluation temi-C=8 prdc set 1".
   */
  public String label() {
    StringBuilder s = new StringBuilder(stage);
    if (trial != null && !trial.isEmpty()) {
      s.append(' ').append(trial);
    }
    if (clusters > 0 && RunLabels.CMAX_SEARCH.equals(trial)) {
      s.append(" C=").append(clusters);
    }
    if (part != null) {
      s.append(' ').append(part);
    }
    return s.toString();
  }
}
