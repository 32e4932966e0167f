package cedm.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SpecLoaderTest {
  private static final Path SPECS = Path.of("..", "specs");
  private static final String MINIMAL = """
      name: minimal
      dataset:
        kind: shapes
      features:
        extractor: builtin
      evaluation:
        feature_network: builtin
      """;

  @Test
  void defaultsAreThePapers() throws Exception {
    ExperimentSpec spec = SpecLoader.parse("minimal.yaml", MINIMAL, Path.of(".")).spec();
    TemiSpec temi = spec.clustering().temi();
    assertEquals(16, temi.heads());
    assertEquals(0.6, temi.beta());
    assertEquals(0.1, temi.studentTemp());
    assertEquals(0.1, temi.teacherTemp());
    assertEquals(0.9, temi.priorMomentum());
    assertEquals(0.996, temi.momentumTeacher());
    assertEquals(1024, temi.batchSize());
    assertEquals(1e-4, temi.lr());
    assertEquals(1e-4, temi.weightDecay());
    assertEquals(200, temi.epochs());
    assertEquals(50, spec.features().knn());
    assertEquals(224, spec.features().imageSize());
    assertEquals(List.of(0.485, 0.456, 0.406), spec.features().mean());
    assertEquals(0.96, spec.search().alpha());
    assertEquals(10, spec.clustering().kmeans().nInit());
    assertEquals(300, spec.clustering().kmeans().maxIter());
    assertEquals(TrainingSpec.Preset.DDPMPP_CIFAR, spec.training().preset());
    assertEquals(null, spec.training().dropout(), "the preset's");
    assertEquals(null, spec.training().augmentP(), "the preset's");
    assertEquals(500, spec.training().emaHalflifeKimg());
    assertEquals(0.05, spec.training().emaRampupRatio());
    assertEquals(10000, spec.training().lrRampupKimg());
    assertEquals(3, spec.evaluation().sets());
    assertEquals(50000, spec.evaluation().samplesPerSet());
    assertEquals(18, spec.evaluation().steps());
    assertEquals(0.002, spec.evaluation().sigmaMin());
    assertEquals(80, spec.evaluation().sigmaMax());
    assertEquals(7, spec.evaluation().rho());
    assertNull(spec.grid().points());
  }

  @Test
  void digestIgnoresLayoutCommentsAndSpelledOutDefaults() throws Exception {
    String reformatted = "# a comment\n" + MINIMAL.replace("kind: shapes", "kind: 'shapes'   # demo")
        + "search:\n  alpha: 0.96\n";
    LoadedSpec a = SpecLoader.parse("a.yaml", MINIMAL, Path.of("."));
    LoadedSpec b = SpecLoader.parse("b.yaml", reformatted, Path.of("."));
    LoadedSpec c = SpecLoader.parse("c.yaml", MINIMAL + "search:\n  alpha: 0.95\n", Path.of("."));
    assertEquals(a.sweepId(), b.sweepId());
    assertNotEquals(a.sweepId(), c.sweepId());
    assertTrue(a.sweepId().startsWith("minimal-"));
  }

  @Test
  void temiNeighboursAreCheckedOnlyWhenTemiRuns() throws Exception {
    String spec = """
        name: kmeans-only
        dataset:
          kind: shapes
        features:
          extractor: builtin
          knn: 10
        search: {enabled: false}
        grid: {points: [4], methods: [kmeans]}
        evaluation:
          feature_network: builtin
        """;
    assertEquals(10, SpecLoader.parse("k.yaml", spec, Path.of(".")).spec().features().knn(),
        "k-means alone: TEMI's 50 neighbours are not mined and not checked");
    SpecException e = assertThrows(SpecException.class,
        () -> SpecLoader.parse("t.yaml", spec.replace("methods: [kmeans]", "methods: [kmeans, temi]"), Path.of(".")));
    assertTrue(String.join("\n", e.lines()).contains("clustering.temi.neighbours"), String.join("\n", e.lines()));
  }

  @Test
  void scientificNotationIsANumber() throws Exception {
    ExperimentSpec spec = SpecLoader.parse("s.yaml", MINIMAL + "training:\n  lr: 2e-4\n", Path.of(".")).spec();
    assertEquals(2e-4, spec.training().lr());
  }

  @Test
  void pathsAreResolvedAgainstTheSpecsDirectory(@TempDir Path dir) throws Exception {
    Files.createDirectories(dir.resolve("data/imgs"));
    String yaml = MINIMAL.replace("kind: shapes", "kind: folder\n  path: data/imgs");
    ExperimentSpec spec = SpecLoader.parse("f.yaml", yaml, dir).spec();
    assertEquals(dir.resolve("data/imgs").toString(), spec.dataset().path());
  }

  @Test
  void theDemoSpecLoads() throws Exception {
    LoadedSpec demo = SpecLoader.load(SPECS.resolve("demo.yaml"));
    assertEquals(DatasetSpec.Kind.SHAPES, demo.spec().dataset().kind());
    assertEquals(FeaturesSpec.Extractor.BUILTIN, demo.spec().features().extractor());
  }

  /** The paper's specs are complete once their data and networks exist where they point. */
  @Test
  void thePaperSpecsLoadWithTheirFilesInPlace(@TempDir Path root) throws Exception {
    Path specs = Files.createDirectories(root.resolve("specs"));
    for (String dir : List.of("data/cifar-10-batches-bin", "data/cifar-100-binary")) {
      Files.createDirectories(root.resolve(dir));
    }
    for (String file : List.of("data/ffhq-64x64.zip", "models/dino_vitb16.pt", "models/inception-2015-12-05.pt",
        "models/dinov2_vitl14.pt", "models/cifar10-32x32.npz", "models/ffhq-64x64.npz")) {
      Files.createDirectories(root.resolve(file).getParent());
      Files.createFile(root.resolve(file));
    }
    ExperimentSpec cifar10 = load(specs, "cifar10.yaml");
    assertEquals(1024, cifar10.training().batchSize());
    assertEquals(1e-3, cifar10.training().lr());
    assertEquals(List.of(ClusteringMethod.TEMI, ClusteringMethod.KMEANS), cifar10.grid().methods());
    ExperimentSpec cifar100 = load(specs, "cifar100.yaml");
    assertEquals(DatasetSpec.Kind.CIFAR100, cifar100.dataset().kind());
    assertNull(cifar100.evaluation().fidReference());
    ExperimentSpec ffhq = load(specs, "ffhq64.yaml");
    assertEquals(TrainingSpec.Preset.DDPMPP_FFHQ64, ffhq.training().preset());
    assertEquals(0.05, ffhq.training().dropout());
    assertEquals(0.15, ffhq.training().augmentP());
    assertEquals(2e-4, ffhq.training().lr());
    assertEquals(40, ffhq.evaluation().steps());
  }

  private static ExperimentSpec load(Path specs, String name) throws IOException, SpecException {
    return SpecLoader.parse(name, Files.readString(SPECS.resolve(name)), specs).spec();
  }

  @Test
  void aMissingSpecFileIsOneProblem() {
    SpecException e = assertThrows(SpecException.class, () -> SpecLoader.load(Path.of("no-such.yaml")));
    assertEquals(List.of("no-such.yaml:1:1: (spec): spec file not found"), e.lines());
  }
}
