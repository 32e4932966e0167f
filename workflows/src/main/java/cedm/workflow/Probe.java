package cedm.workflow;

import cedm.stage.ClusteringArtifact;

/** One row of the C_max search's evidence: a clustering at C and what it used. */
public record Probe(int clusters, double utilisation, int used, double klFromUniform, double objective, String artifactId,
    boolean reused) {

  static Probe of(ClusteringArtifact a) {
    return new Probe(a.clusters(), a.utilisation(), a.used(), a.klFromUniform(), a.objective(), a.artifactId(), a.reused());
  }
}
