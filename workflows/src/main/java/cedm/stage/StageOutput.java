package cedm.stage;

/**
 * What every stage returns: the artifact it produced or found, and a line for the user. Each stage
 * is one activity whose Temporal type name is the stage name, so a running activity names its stage.
 */
public interface StageOutput {
  String artifactId();

  /** The artifact existed already; nothing was computed. */
  boolean reused();

  String describe();
}
