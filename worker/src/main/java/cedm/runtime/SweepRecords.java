package cedm.runtime;

import cedm.io.AtomicFile;
import cedm.spec.ExperimentSpec;
import cedm.spec.LoadedSpec;
import cedm.store.ArtifactStore;
import cedm.workflow.SweepStatus;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * What was submitted for each sweep, kept in the store ({@code sweeps/ID/}) so that
 * {@code cedm resume} can start it again even after the Temporal server lost its history:
 * {@code spec.yaml} as written and {@code spec.json} as checked (defaults and paths resolved), and
 * once it finished, its final status (for reports).
 */
public final class SweepRecords {
  private static final ObjectMapper JSON = new ObjectMapper()
      .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
      .enable(SerializationFeature.INDENT_OUTPUT);

  private static final String FINAL_STATUS = "final-status.json";
  /** The workflows' records as Temporal's data converter writes them (Jackson defaults). */
  private static final ObjectMapper STATUS_JSON = new ObjectMapper()
      .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

  private final ArtifactStore store;

  public SweepRecords(ArtifactStore store) {
    this.store = store;
  }

  public void save(String sweepId, LoadedSpec spec) throws IOException {
    Path dir = store.sweepDir(sweepId);
    write(dir.resolve("spec.yaml"), spec.yaml());
    write(dir.resolve("spec.json"), JSON.writeValueAsString(spec.spec()));
  }

  /** The checked spec of a submitted sweep. */
  public ExperimentSpec load(String sweepId) throws IOException {
    Path file = store.sweepPath(sweepId).resolve("spec.json");
    if (!Files.isRegularFile(file)) {
      throw new NoSuchSweepException(sweepId, store.root());
    }
    return JSON.readValue(file.toFile(), ExperimentSpec.class);
  }

  /** The log file of the worker of `cedm run` for this sweep (appended to by each run). */
  public Path runLog(String sweepId) throws IOException {
    return store.sweepDir(sweepId).resolve("run.log");
  }

  /** Where a sweep's report goes unless told otherwise. */
  public Path reportDir(String sweepId) throws IOException {
    return store.sweepDir(sweepId).resolve("report");
  }

  /** Keeps a finished sweep's status, so its report can be made without the Temporal server. */
  public void saveFinalStatus(SweepStatus status) throws IOException {
    write(store.sweepDir(status.sweepId()).resolve(FINAL_STATUS), STATUS_JSON.writeValueAsString(status));
  }

  /** The status kept when the sweep finished, if it did. */
  public Optional<SweepStatus> finalStatus(String sweepId) throws IOException {
    Path file = store.sweepPath(sweepId).resolve(FINAL_STATUS);
    return Files.isRegularFile(file) ? Optional.of(STATUS_JSON.readValue(file.toFile(), SweepStatus.class))
        : Optional.empty();
  }

  private static void write(Path file, String text) throws IOException {
    AtomicFile.write(file, tmp -> Files.writeString(tmp, text));
  }

  /** No sweep of that id was ever submitted with this store. */
  public static final class NoSuchSweepException extends IOException {
    public NoSuchSweepException(String sweepId, Path store) {
      super("no sweep " + sweepId + " was submitted with the store " + store);
    }
  }
}
