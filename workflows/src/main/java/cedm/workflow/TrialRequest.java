package cedm.workflow;

import cedm.spec.ExperimentSpec;

/**
 * One grid point of a sweep, with the ids of the artifacts it builds on, and the stretch of
 * training this run of the trial covers.
 *
 * @param fromKimg where the stretch starts: the rung the point passed last, 0 at first (snapshots
 *     at or before it were evaluated by an earlier run)
 * @param rungKimg the rung where the stretch ends and the point waits to be compared; null: the
 *     point trains to the end and its final model is evaluated
 */
public record TrialRequest(String sweepId, GridPoint point, String datasetId, String featuresId, String knnId,
    ExperimentSpec spec, double fromKimg, Double rungKimg) {

  /** The whole training in one run (no schedule). */
  public TrialRequest(String sweepId, GridPoint point, String datasetId, String featuresId, String knnId,
      ExperimentSpec spec) {
    this(sweepId, point, datasetId, featuresId, knnId, spec, 0, null);
  }
}
