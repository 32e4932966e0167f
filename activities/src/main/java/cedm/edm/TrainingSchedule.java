package cedm.edm;

/** EDM's per-step schedules (training_loop.py), as functions of the images seen before the step. */
public final class TrainingSchedule {
  private TrainingSchedule() {}

  /**
   * EMA decay: half-life min(ema_halflife_kimg, ramp-up ratio x images seen), then
   * beta = 0.5^(batch / max(halflife_nimg, 1e-8)); a null ramp-up ratio disables the ramp-up.
   */
  public static double emaBeta(double halflifeKimg, Double rampupRatio, long nimg, int batch) {
    double halflife = halflifeKimg * 1000;
    if (rampupRatio != null) {
      halflife = Math.min(halflife, nimg * rampupRatio);
    }
    return Math.pow(0.5, batch / Math.max(halflife, 1e-8));
  }

  /** lr = lr0 * min(nimg / max(rampup_kimg * 1000, 1e-8), 1). */
  public static double learningRate(double lr, double rampupKimg, long nimg) {
    return lr * Math.min(nimg / Math.max(rampupKimg * 1000, 1e-8), 1);
  }
}
