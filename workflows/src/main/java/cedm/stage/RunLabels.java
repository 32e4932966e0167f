package cedm.stage;

/**
 * Whom a stage runs for, as metric labels: the sweep, the trial (a grid point's id, "cmax-search"
 * for a probe, empty for the shared stages) and the number of clusters C (0 when there is none).
 * Never part of an artifact's key: two sweeps that ask for the same work share its artifact.
 */
public record RunLabels(String sweep, String trial, int clusters) {
  /** The trial of every probe of the C_max search. */
  public static final String CMAX_SEARCH = "cmax-search";

  /** Outside any sweep: tests, benchmarks. */
  public static final RunLabels NONE = new RunLabels("", "", 0);

  public static RunLabels sweep(String sweep) {
    return new RunLabels(sweep, "", 0);
  }

  /** Histories recorded before requests carried labels replay with none. */
  public static RunLabels orNone(RunLabels labels) {
    return labels == null ? NONE : labels;
  }

  /** C as a label value: empty when the stage has no C. */
  public String c() {
    return clusters > 0 ? Integer.toString(clusters) : "";
  }
}
