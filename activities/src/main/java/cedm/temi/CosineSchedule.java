package cedm.temi;

/**
 * TEMI's (and DINO's) per-iteration schedule: a linear warm-up from 0 to {@code base} over the
 * warm-up iterations (both ends included), then a half cosine from {@code base} towards
 * {@code end} over the remaining iterations, which ends one step short of {@code end}.
 */
public final class CosineSchedule {
  private final double base;
  private final double end;
  private final long warmup;
  private final long total;

  public CosineSchedule(double base, double end, int epochs, long itersPerEpoch, int warmupEpochs) {
    this.base = base;
    this.end = end;
    this.warmup = (long) warmupEpochs * itersPerEpoch;
    this.total = (long) epochs * itersPerEpoch;
  }

  public double at(long iteration) {
    if (iteration < warmup) {
      return warmup == 1 ? 0 : base * iteration / (warmup - 1);
    }
    long i = iteration - warmup;
    long cosine = total - warmup;
    return end + 0.5 * (base - end) * (1 + Math.cos(Math.PI * i / cosine));
  }
}
