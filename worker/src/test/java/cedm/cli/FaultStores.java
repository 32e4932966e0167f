package cedm.cli;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import cedm.io.Safetensors;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/** What the fault suite does to an artifact store, and how it compares two of them. */
final class FaultStores {
  private static final ObjectMapper JSON = new ObjectMapper();

  private FaultStores() {}

  /** The ids of a stage's finished artifacts (those with a manifest). */
  static List<String> artifactIds(Path store, String stage) throws Exception {
    Path dir = store.resolve("artifacts").resolve(stage);
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> ids = Files.list(dir)) {
      return ids.filter(d -> Files.exists(d.resolve("manifest.json"))).map(d -> d.getFileName().toString()).sorted()
          .toList();
    }
  }

  static boolean hasArtifact(Path store, String stage) throws Exception {
    return !artifactIds(store, stage).isEmpty();
  }

  /** A store holding the reference's finished artifacts except those of {@code dropped} stages. */
  static Path copyArtifacts(Path reference, Path target, Set<String> dropped) throws Exception {
    Path from = reference.resolve("artifacts");
    try (Stream<Path> all = Files.walk(from)) {
      for (Path p : all.sorted().toList()) {
        Path rel = from.relativize(p);
        if (rel.getNameCount() > 0 && dropped.contains(rel.getName(0).toString())) {
          continue;
        }
        Path to = target.resolve("artifacts").resolve(rel.toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(to);
        } else {
          Files.copy(p, to);
        }
      }
    }
    return target;
  }

  /**
   * A training's finished checkpoints, oldest first. The trainer renames and prunes them while
   * this polls, so a directory listed a moment ago may be gone: that is an empty answer, not an error.
   */
  static List<Path> checkpoints(Path trainingWork) throws Exception {
    try (Stream<Path> all = Files.list(trainingWork.resolve("checkpoints"))) {
      return all.filter(p -> p.getFileName().toString().startsWith("ckpt-")).sorted().toList();
    } catch (NoSuchFileException | UncheckedIOException e) {
      return List.of();
    }
  }

  /** Makes {@code file} a link to /dev/full, where every write fails as on a full disk (ENOSPC). */
  static Path fullDisk(Path file) throws Exception {
    Files.createDirectories(file.getParent());
    return Files.createSymbolicLink(file, Path.of("/dev/full"));
  }

  /** The files (names, sizes, sha256) an artifact's manifest lists. */
  static JsonNode manifestFiles(Path store, String stage, String id) throws Exception {
    return JSON.readTree(store.resolve("artifacts").resolve(stage).resolve(id).resolve("manifest.json").toFile())
        .get("files");
  }

  static Path trainingWork(Path store, String trainingId) {
    return store.resolve("work").resolve("training").resolve(trainingId);
  }

  /** Where training resumes from a checkpoint directory {@code ckpt-000000000320} (images seen), as logged. */
  static String resumeLine(Path checkpoint) {
    long images = Long.parseLong(checkpoint.getFileName().toString().substring("ckpt-".length()));
    return "resuming interrupted EDM training from its checkpoint at " + images / 1000.0 + " kimg";
  }

  static void truncateHalf(Path file) throws Exception {
    try (FileChannel f = FileChannel.open(file, StandardOpenOption.WRITE)) {
      f.truncate(f.size() / 2);
    }
  }

  static void flipLastByte(Path file) throws Exception {
    byte[] bytes = Files.readAllBytes(file);
    bytes[bytes.length - 1] ^= 0x5a;
    Files.write(file, bytes);
  }

  static List<Path> files(Path store, String stage, String suffix) throws Exception {
    try (Stream<Path> all = Files.walk(store.resolve("artifacts").resolve(stage))) {
      return all.filter(p -> p.toString().endsWith(suffix)).sorted().toList();
    }
  }

  /** What the comparisons found. */
  static final class Tally {
    int compared;
    /** The largest relative difference between two evaluations' scores. */
    double worstScoreDifference;
    final List<String> mismatches = new ArrayList<>();
  }

  /**
   * Scores may differ by this much, relative: identical statistics give FID and FDD through
   * float64 LAPACK, whose threads may add in another order. Measured across processes: see the
   * fault suite's cross-process test, which prints it.
   */
  static final double SCORE_TOLERANCE = 1e-9;

  /**
   * Compares every artifact of the reference with its twin in {@code store}: the same files byte
   * for byte (the sha256s in the manifests; since constants of recorded arithmetic are torch's own,
   * trainings are bit-identical across processes), and for evaluations the same scores to
   * {@link #SCORE_TOLERANCE}.
   */
  static void compare(Path reference, Path store, Tally tally) throws Exception {
    List<Path> manifests;
    try (Stream<Path> all = Files.walk(reference.resolve("artifacts"))) {
      manifests = all.filter(p -> p.getFileName().toString().equals("manifest.json")).sorted().toList();
    }
    for (Path m : manifests) {
      Path rel = reference.relativize(m.getParent());
      String where = store.getFileName() + "/" + rel;
      Path twin = store.resolve(reference.relativize(m));
      tally.compared++;
      if (!Files.exists(twin)) {
        tally.mismatches.add(where + ": missing");
        continue;
      }
      JsonNode a = JSON.readTree(m.toFile());
      JsonNode b = JSON.readTree(twin.toFile());
      if (!a.get("files").equals(b.get("files"))) {
        tally.mismatches.add(where + ": files differ " + differences(m.getParent(), twin.getParent(), a.get("files"),
            b.get("files")));
      }
      JsonNode scoresA = a.at("/meta/scores");
      JsonNode scoresB = b.at("/meta/scores");
      scoresA.fieldNames().forEachRemaining(score -> {
        JsonNode x = scoresA.get(score);
        JsonNode y = scoresB.path(score);
        if (x.size() != y.size()) {
          tally.mismatches.add(where + ": " + x.size() + " " + score + " values vs " + y.size());
          return;
        }
        for (int i = 0; i < x.size(); i++) {
          double difference = Math.abs(x.get(i).asDouble() - y.get(i).asDouble());
          double relative = difference == 0 ? 0 : difference / Math.abs(x.get(i).asDouble());
          tally.worstScoreDifference = Math.max(tally.worstScoreDifference, relative);
          if (relative > SCORE_TOLERANCE) {
            tally.mismatches.add(where + ": " + score + " " + x.get(i) + " vs " + y.get(i));
          }
        }
      });
    }
  }

  /** The files of {@code filesA} that {@code filesB} lacks or holds otherwise, weights with their largest difference. */
  private static List<String> differences(Path dirA, Path dirB, JsonNode filesA, JsonNode filesB) throws Exception {
    List<String> differ = new ArrayList<>();
    for (JsonNode f : filesA) {
      if (!filesB.toString().contains(f.toString())) {
        String name = f.path("name").asText();
        differ.add(name + (name.endsWith(".safetensors") && Files.exists(dirB.resolve(name))
            ? " (weights differ by up to " + maxDifference(dirA.resolve(name), dirB.resolve(name)) + ")" : ""));
      }
    }
    if (filesA.size() != filesB.size()) {
      differ.add(filesA.size() + " files vs " + filesB.size());
    }
    return differ;
  }

  /** The largest absolute difference between two safetensors files' tensors (infinite if their names differ). */
  private static double maxDifference(Path a, Path b) throws Exception {
    try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
      Map<String, NDArray> x = Safetensors.read(manager, a);
      Map<String, NDArray> y = Safetensors.read(manager, b);
      if (!x.keySet().equals(y.keySet())) {
        return Double.POSITIVE_INFINITY;
      }
      double worst = 0;
      for (Map.Entry<String, NDArray> e : x.entrySet()) {
        NDArray other = y.get(e.getKey());
        if (!other.getShape().equals(e.getValue().getShape())) {
          return Double.POSITIVE_INFINITY;
        }
        worst = Math.max(worst, e.getValue().sub(other).abs().max().getFloat());
      }
      return worst;
    }
  }
}
