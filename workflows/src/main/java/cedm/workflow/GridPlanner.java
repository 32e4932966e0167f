package cedm.workflow;

import cedm.spec.ClusteringMethod;
import cedm.spec.GridSpec;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The grid of a sweep: explicit C values, or {@code count} values spread over [2, C_max) (log or
 * linear spacing), each for every clustering method; then the baselines.
 */
public final class GridPlanner {
  private GridPlanner() {}

  /** C values for an automatic grid: the i-th of n at 2 (C_max / 2)^(i / n), i = 1..n, below C_max. */
  public static List<Integer> auto(GridSpec grid, int cMax) {
    Set<Integer> values = new LinkedHashSet<>();
    for (int i = 1; i <= grid.count(); i++) {
      double f = (double) i / grid.count();
      double c = grid.spacing() == GridSpec.Spacing.LOG ? 2 * Math.pow(cMax / 2.0, f) : 2 + (cMax - 2) * f;
      int v = (int) Math.min(Math.round(c), cMax - 1L);
      if (v >= 2) {
        values.add(v);
      }
    }
    return List.copyOf(values);
  }

  /**
   * @param cMax the search's result, or null when the grid is explicit and the search is off
   * @param classes the dataset's number of ground-truth classes, 0 when it has no labels
   */
  public static List<GridPoint> plan(GridSpec grid, Integer cMax, int classes) {
    List<Integer> values = grid.points() != null ? grid.points() : auto(grid, cMax);
    List<GridPoint> points = new ArrayList<>();
    for (ClusteringMethod method : grid.methods()) {
      for (int c : values) {
        points.add(GridPoint.clusters(method, c));
      }
    }
    if (grid.unconditional()) {
      points.add(new GridPoint(GridPoint.Kind.UNCONDITIONAL, null, 1));
    }
    if (grid.groundTruth() && classes > 0) {
      points.add(new GridPoint(GridPoint.Kind.GROUND_TRUTH, null, classes));
    }
    return points;
  }
}
