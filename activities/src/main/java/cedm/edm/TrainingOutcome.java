package cedm.edm;

/**
 * The finished run; {@code resumedAtNimg} is where it picked up an interrupted run from a
 * checkpoint, 0 for a fresh start and for a run that continues where an earlier one was asked to
 * stop (the stretches of evaluation during training).
 */
public record TrainingOutcome(long nimg, long steps, double loss, long resumedAtNimg, long parameters) {}
