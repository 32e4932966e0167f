package cedm.stage;

/** An imported dataset: its artifact id and shape, never its pixels. */
public record DatasetArtifact(
    String artifactId,
    boolean reused,
    int count,
    int height,
    int width,
    boolean labelled,
    int classes,
    int testCount,
    String contentDigest) implements StageOutput {

  public String describe() {
    return count + " images " + width + "x" + height
        + (labelled ? ", " + classes + " classes" : ", unlabelled")
        + (testCount > 0 ? ", " + testCount + " test images" : "");
  }
}
