package cedm.workflow;

/**
 * One stage of a sweep as the user sees it.
 *
 * @param reused the artifact existed already, nothing was computed
 * @param summary a short description of the result or of the failure
 */
public record StageReport(String stage, StageState state, String artifactId, boolean reused, double seconds, String summary) {

  public static StageReport pending(String stage) {
    return new StageReport(stage, StageState.PENDING, null, false, 0, "");
  }
}
