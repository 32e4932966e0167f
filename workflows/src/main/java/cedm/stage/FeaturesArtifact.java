package cedm.stage;

/**
 * Extracted features.
 *
 * @param extractor what computed them, e.g. "builtin random CNN (NOT pre-trained)"
 * @param chunksReused finished chunks found from an interrupted earlier attempt
 */
public record FeaturesArtifact(
    String artifactId, boolean reused, int count, int dim, int testCount, String extractor, int chunksReused)
    implements StageOutput {

  public String describe() {
    return count + " x " + dim + " features, " + extractor
        + (chunksReused > 0 ? ", resumed after " + chunksReused + " finished chunks" : "");
  }
}
