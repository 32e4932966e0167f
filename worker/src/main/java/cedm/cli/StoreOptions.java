package cedm.cli;

import cedm.store.ArtifactStore;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --store}: where artifacts, checkpoints and sweep records live. */
final class StoreOptions {
  @Option(names = "--store", paramLabel = "DIR",
      description = "Artifact store (default: $CEDM_STORE, else ~/.cedm/store). Share it between hosts for several workers.")
  Path store;

  ArtifactStore open() {
    return new ArtifactStore(store != null ? store : ArtifactStore.defaultRoot());
  }
}
