package cedm.random;

/** Independent seeds for the streams of a run (per epoch, per step, per sample) from one spec seed. */
public final class Seeds {
  private Seeds() {}

  /** SplitMix64 finaliser of (seed, stream): distinct streams get unrelated seeds. */
  public static long mix(long seed, long stream) {
    long z = seed * 0x9E3779B97F4A7C15L + (stream + 7) * 0xD1B54A32D192ED03L;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
