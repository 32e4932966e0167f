package cedm.cli;

import cedm.store.ArtifactStore;
import cedm.store.UnusableStoreException;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --store}: where artifacts, checkpoints and sweep records live. */
final class StoreOptions {
  @Option(names = "--store", paramLabel = "DIR",
      description = "Artifact store (default: $CEDM_STORE, else ~/.cedm/store). Share it between hosts for several workers.")
  Path store;

  /** Where the store is: --store, else $CEDM_STORE, else the default. */
  Path root() {
    return store != null ? store : ArtifactStore.defaultRoot();
  }

  /** The store, or a user error (exit 2) naming where the path came from and why it cannot be used. */
  ArtifactStore open() {
    try {
      return new ArtifactStore(root());
    } catch (UnusableStoreException e) {
      String origin = store != null ? "--store"
          : System.getenv("CEDM_STORE") != null && !System.getenv("CEDM_STORE").isBlank() ? "$CEDM_STORE"
          : "the default store";
      throw new UserError(origin + ": " + e.getMessage() + " (allowed: a writable directory, created if missing)", 2);
    }
  }
}
