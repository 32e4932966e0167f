package cedm.stage;

import java.time.Duration;
import java.util.Locale;

/** A duration as people read it in progress lines: 45s, 3m12s, 2h05m, 3d04h. */
public final class TimeSpan {
  private TimeSpan() {}

  public static String of(Duration d) {
    long s = Math.max(0, d.toSeconds());
    if (s < 60) {
      return s + "s";
    }
    if (s < 3600) {
      return s / 60 + "m" + String.format(Locale.ROOT, "%02d", s % 60) + "s";
    }
    if (s < 86400) {
      return s / 3600 + "h" + String.format(Locale.ROOT, "%02d", s % 3600 / 60) + "m";
    }
    return s / 86400 + "d" + String.format(Locale.ROOT, "%02d", s % 86400 / 3600) + "h";
  }
}
