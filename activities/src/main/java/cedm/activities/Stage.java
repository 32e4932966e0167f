package cedm.activities;

import cedm.store.Artifact;
import cedm.store.ArtifactStore;
import cedm.store.StageKey;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * The stages that produce artifacts: each one's name in the store and the version of the code that
 * produces it. Raising a version makes the stage's earlier artifacts unreachable, so it is raised
 * whenever what the stage writes changes.
 */
enum Stage {
  DATASET("dataset", 1),
  FEATURES("features", 1),
  /** 2: the symmetric tiling, whose rounding may order near-ties differently from version 1's row blocks. */
  KNN("knn", 2),
  CLUSTERING("clustering", 1),
  TRAINING("training", 1),
  SNAPSHOT("training-snapshot", 1),
  /** 2: scores as a map of metric results. */
  EVALUATION("evaluation", 2),
  REFERENCE_STATISTICS("reference-statistics", 1);

  private final String id;
  private final int version;

  Stage(String id, int version) {
    this.id = id;
    this.version = version;
  }

  /** The stage's name in the store, in metrics and in the ledger. */
  String id() {
    return id;
  }

  /** The key of the artifact made from {@code section} of the spec and the artifacts {@code inputIds}. */
  StageKey key(JsonNode section, List<String> inputIds) {
    return StageKey.of(id, version, section, inputIds);
  }

  /** The key of this stage's artifact {@code artifactId}. */
  StageKey key(String artifactId) {
    return new StageKey(id, version, artifactId);
  }

  /**
   * The input artifact named by a workflow. Missing or corrupt means an earlier stage must run
   * again: the activity fails (retryably), and a re-run of the sweep recomputes the input.
   */
  Artifact require(ArtifactStore store, String artifactId) {
    return store.find(key(artifactId)).orElseThrow(() -> new IllegalStateException(
        "input artifact " + id + "/" + artifactId + " is missing or failed verification in " + store.root()
            + "; run the sweep again to recompute it"));
  }
}
