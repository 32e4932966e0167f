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
    return "resuming EDM training at " + images / 1000.0 + " kimg";
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
    /** Artifacts that differ from the reference only at float rounding level (weights, and samples of such weights). */
    int rounding;
    double worstWeightDifference;
    final List<String> mismatches = new ArrayList<>();
  }

  /**
   * Largest weight difference tolerated between two CPU trainings of the same model. PyTorch's
   * CPU kernels are not bit-reproducible across processes (see the README), and Adam turns
   * last-bit noise in near-zero gradients into whole steps of the learning rate: over the suite's
   * 80 steps, whose learning rates (still ramping up) sum to about 5e-6, two runs have differed by
   * up to 7e-7.
   */
  static final double WEIGHT_TOLERANCE = 3e-6;

  /**
   * Compares every artifact of the reference with its twin in {@code store}: the same files byte
   * for byte (the sha256s in the manifests), except that safetensors weights may differ by up to
   * {@link #WEIGHT_TOLERANCE}; for evaluations, the same FID and FDD to 1e-9 relative (float64
   * products may round differently on another run), or to 1e-4 when their models' weights
   * differed at rounding level.
   */
  static void compare(Path reference, Path store, Tally tally) throws Exception {
    List<Path> manifests;
    try (Stream<Path> all = Files.walk(reference.resolve("artifacts"))) {
      // Evaluations last: whether their samples may differ depends on how their models compared.
      manifests = all.filter(p -> p.getFileName().toString().equals("manifest.json"))
          .sorted(Comparator.comparing((Path p) -> p.toString().contains("/evaluation/")).thenComparing(p -> p))
          .toList();
    }
    int roundingBefore = tally.rounding;
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
      boolean evaluation = rel.toString().contains("evaluation");
      double scoreTolerance = 1e-9;
      if (!a.get("files").equals(b.get("files"))) {
        if (evaluation && tally.rounding > roundingBefore) {
          // Samples of weights that differ in the last bits may round a pixel differently.
          tally.rounding++;
          scoreTolerance = 1e-4;
        } else {
          compareFiles(m.getParent(), twin.getParent(), a.get("files"), b.get("files"), where, tally);
        }
      }
      for (String score : List.of("fid", "fdd")) {
        JsonNode x = a.at("/meta/" + score);
        JsonNode y = b.at("/meta/" + score);
        if (x.size() != y.size()) {
          tally.mismatches.add(where + ": " + x.size() + " " + score + " values vs " + y.size());
          continue;
        }
        for (int i = 0; i < x.size(); i++) {
          if (Math.abs(x.get(i).asDouble() - y.get(i).asDouble()) > scoreTolerance * Math.abs(x.get(i).asDouble())) {
            tally.mismatches.add(where + ": " + score + " " + x.get(i) + " vs " + y.get(i));
          }
        }
      }
    }
  }

  private static void compareFiles(Path dirA, Path dirB, JsonNode filesA, JsonNode filesB, String where, Tally tally)
      throws Exception {
    List<String> differ = new ArrayList<>();
    double worst = 0;
    for (JsonNode f : filesA) {
      if (filesB.toString().contains(f.toString())) {
        continue;
      }
      String name = f.path("name").asText();
      double d = name.endsWith(".safetensors") ? maxDifference(dirA.resolve(name), dirB.resolve(name)) : Double.NaN;
      if (d <= WEIGHT_TOLERANCE) {
        worst = Math.max(worst, d);
      } else {
        differ.add(name + (Double.isNaN(d) ? "" : " (weights differ by up to " + d + ")"));
      }
    }
    if (!differ.isEmpty()) {
      tally.mismatches.add(where + ": files differ " + differ);
    } else if (filesA.size() == filesB.size()) {
      tally.rounding++;
      tally.worstWeightDifference = Math.max(tally.worstWeightDifference, worst);
    } else {
      tally.mismatches.add(where + ": " + filesA.size() + " files vs " + filesB.size());
    }
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
