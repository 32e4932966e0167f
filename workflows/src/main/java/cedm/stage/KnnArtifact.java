package cedm.stage;

/** Mined neighbours: indices and similarities, [count, m] each. */
public record KnnArtifact(String artifactId, boolean reused, int count, int m, double meanSimilarity)
    implements StageOutput {

  public String describe() {
    return count + " x " + m + " neighbours, mean cosine similarity " + String.format(java.util.Locale.ROOT, "%.3f", meanSimilarity);
  }
}
