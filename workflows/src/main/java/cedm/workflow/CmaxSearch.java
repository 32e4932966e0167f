package cedm.workflow;

import cedm.spec.SearchSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;

/**
 * The paper's C_max search (Sec. 3): double C from {@code start} until the utilisation r_C falls
 * to alpha or below, then bisect between the last C above alpha and the first at or below it
 * until they are at most {@code resolution} apart. C_max is the highest C probed with r_C > alpha.
 * Costs O(log2(C_max / C_start)) clusterings. If r_C is already at or below alpha at the start,
 * C halves until it is above (C = 1 always is).
 */
public final class CmaxSearch {
  private final SearchSpec spec;
  private final List<Probe> evidence = new ArrayList<>();

  public CmaxSearch(SearchSpec spec) {
    this.spec = spec;
  }

  /** Evidence so far, in probing order. */
  public List<Probe> evidence() {
    return List.copyOf(evidence);
  }

  /** Runs the search with {@code probe} clustering at a given C; returns C_max. */
  public int run(IntFunction<Probe> probe) {
    int above = 0;
    int atOrBelow = 0;
    int c = spec.start();
    while (true) {
      Probe p = record(probe.apply(c));
      if (p.utilisation() > spec.alpha()) {
        above = c;
        if (atOrBelow > 0) {
          break;
        }
        if ((long) c * 2 > spec.maxC()) {
          throw new IllegalStateException("r_C stayed above alpha " + spec.alpha() + " up to C = " + c
              + " (search.max_c " + spec.maxC() + "); raise search.max_c or alpha");
        }
        c *= 2;
      } else {
        atOrBelow = c;
        if (above > 0) {
          break;
        }
        if (c == 1) {
          return 1;
        }
        c = Math.max(1, c / 2);
      }
    }
    while (atOrBelow - above > spec.resolution()) {
      int mid = (above + atOrBelow) / 2;
      if (record(probe.apply(mid)).utilisation() > spec.alpha()) {
        above = mid;
      } else {
        atOrBelow = mid;
      }
    }
    return above;
  }

  private Probe record(Probe p) {
    evidence.add(p);
    return p;
  }
}
