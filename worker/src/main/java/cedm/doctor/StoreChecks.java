package cedm.doctor;

import cedm.edm.NetworkConfig;
import cedm.edm.SongUNet;
import cedm.io.ChildJvm;
import cedm.spec.EvaluationSpec;
import cedm.spec.ExperimentSpec;
import cedm.store.ArtifactStore;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Locale;

/** The shared store: writable, its lock seen by other processes, and room for the sweep. */
public final class StoreChecks {
  private static final double GB = 1e9;

  private StoreChecks() {}

  /** Opening the store proves it writable (a probe file is written); then its lock is tried from a second process. */
  public static Check lock(Path root) {
    ArtifactStore store;
    try {
      store = new ArtifactStore(root);
    } catch (RuntimeException e) {
      return Check.fail("store", e.getMessage());
    }
    Path lockFile = store.lockFile("doctor");
    try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock held = channel.lock()) {
      ChildJvm.Ended probe = ChildJvm.run(ChildJvm.of(LockProbe.class, lockFile.toString()), Duration.ofSeconds(60));
      if (probe.exitCode() == -1) {
        return Check.fail("store", lockFile + ": a second process hung on the lock");
      }
      String answer = probe.output().strip();
      return answer.endsWith("held")
          ? Check.ok("store", store.root() + ": writable; its lock excludes a second process")
          : Check.fail("store", store.root() + ": writable, but a second process took the lock this one holds ("
              + answer + "): the file system does not share locks (NFS without lockd?); two workers could "
              + "produce one artifact at once");
    } catch (IOException | InterruptedException e) {
      return Check.fail("store", lockFile + ": " + e.getMessage());
    }
  }

  /** Free space against the sweep's estimated footprint: fail below it, warn below twice it. */
  public static Check disk(Path root, ExperimentSpec spec) {
    try {
      Path existing = root.toAbsolutePath();
      while (!Files.exists(existing)) {
        existing = existing.getParent();
      }
      long free = Files.getFileStore(existing).getUsableSpace();
      double need = footprintBytes(spec);
      String evidence = String.format(Locale.ROOT, "%.1f GB free at %s; the sweep needs about %.1f GB (%d trials: "
          + "checkpoints kept, models, snapshots, statistics%s)", free / GB, existing, need / GB, trials(spec),
          spec.evaluation().saveImages() ? ", sample images" : "");
      return free < need ? Check.fail("disk", evidence) : free < 2 * need ? Check.warn("disk", evidence)
          : Check.ok("disk", evidence);
    } catch (IOException e) {
      return Check.fail("disk", root + ": " + e.getMessage());
    }
  }

  /** Grid points: explicit or counted, for every method, and the baselines. */
  static int trials(ExperimentSpec spec) {
    int values = spec.grid().points() != null ? spec.grid().points().size() : spec.grid().count();
    return values * spec.grid().methods().size() + (spec.grid().unconditional() ? 1 : 0)
        + (spec.grid().groundTruth() ? 1 : 0);
  }

  /**
   * Per trial: the checkpoints kept (network, EMA and Adam's two moments: 16 bytes a parameter),
   * the EMA model and each snapshot (4 bytes a parameter), each set's float64 statistics and,
   * when kept, the sample images.
   */
  static double footprintBytes(ExperimentSpec spec) {
    int resolution = spec.imageResolution();
    long parameters = new SongUNet(NetworkConfig.of(spec.training(), resolution, 3, 10)).layout().count();
    EvaluationSpec evaluation = spec.evaluation();
    double snapshots = EvaluationSpec.DuringTraining.enabled(evaluation.duringTraining())
        ? Math.floor(spec.training().durationMimg() / evaluation.duringTraining().everyMimg()) : 0;
    double perTrial = 16.0 * parameters * spec.training().keepCheckpoints() + 4.0 * parameters * (1 + snapshots);
    int dim = evaluation.featureNetwork() == EvaluationSpec.FeatureNetwork.PRETRAINED ? 2048 : 256;
    perTrial += evaluation.sets() * evaluation.metrics().size() * 8.0 * dim * (dim + 1);
    if (evaluation.saveImages()) {
      perTrial += (double) evaluation.sets() * evaluation.samplesPerSet() * resolution * resolution * 3;
    }
    return perTrial * trials(spec);
  }
}
