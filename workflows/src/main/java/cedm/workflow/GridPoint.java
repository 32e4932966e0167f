package cedm.workflow;

import cedm.spec.ClusteringMethod;

/**
 * One trial of the grid: C clusters by a method, or a baseline (unconditional: one class;
 * ground truth: the dataset's labels).
 */
public record GridPoint(Kind kind, ClusteringMethod method, int clusters) {

  public enum Kind { CLUSTERS, UNCONDITIONAL, GROUND_TRUTH }

  public static GridPoint clusters(ClusteringMethod method, int c) {
    return new GridPoint(Kind.CLUSTERS, method, c);
  }

  /** Short stable name, used in trial workflow ids: "temi-C=100", "unconditional", "ground-truth". */
  public String id() {
    return switch (kind) {
      case CLUSTERS -> method.id() + "-C=" + clusters;
      case UNCONDITIONAL -> "unconditional";
      case GROUND_TRUTH -> "ground-truth";
    };
  }
}
