package cedm.features;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.Device;
import cedm.data.DatasetImporter;
import cedm.data.ShapesSource;
import cedm.io.Npy;
import cedm.spec.FeaturesSpec;
import cedm.stage.StageProgress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FeatureExtractionTest {
  @TempDir Path tmp;
  private Path dataset;
  private final FeaturesSpec spec = new FeaturesSpec(FeaturesSpec.Extractor.BUILTIN, null, 24,
      TorchScriptExtractorTest.MEAN, TorchScriptExtractorTest.STD, 16, 8, 20, 5);

  @BeforeEach
  void importDataset() throws Exception {
    dataset = Files.createDirectory(tmp.resolve("dataset"));
    DatasetImporter.write(new ShapesSource(0, 16, 90, 30, 4), dataset, null, null, x -> {});
  }

  /** Counts batches and stops the "worker" after a given number, as a kill would. */
  private static final class Killable implements FeatureExtractor {
    final BuiltinExtractor inner = new BuiltinExtractor(3, 16, Device.cpu());
    final int killAfterBatches;
    int batches;

    Killable(int killAfterBatches) {
      this.killAfterBatches = killAfterBatches;
    }

    @Override
    public float[] extract(float[] nchw, int count, int height, int width) {
      if (++batches > killAfterBatches) {
        throw new IllegalStateException("worker killed");
      }
      return inner.extract(nchw, count, height, width);
    }

    @Override
    public int dim() {
      return inner.dim();
    }

    @Override
    public String describe() {
      return inner.describe();
    }

    @Override
    public void close() {
      inner.close();
    }
  }

  @Test
  void aKilledExtractionResumesAtTheNextUnfinishedChunkWithIdenticalBytes() throws Exception {
    Path cleanOut = Files.createDirectory(tmp.resolve("clean"));
    try (Killable never = new Killable(Integer.MAX_VALUE)) {
      FeatureExtraction.Result r = new FeatureExtraction(spec, never, Files.createDirectory(tmp.resolve("w1")), p -> {})
          .run(dataset, cleanOut);
      assertEquals(new FeatureExtraction.Result(90, 16, 30, never.describe(), 0), r);
      assertEquals(14 + 5, never.batches, "90 train images in chunks of 20 (3+3+3+3+2 batches of 8), 30 test (3+2)");
    }
    Path work = Files.createDirectory(tmp.resolve("w2"));
    try (Killable killed = new Killable(7)) {
      assertThrows(IllegalStateException.class,
          () -> new FeatureExtraction(spec, killed, work, p -> {}).run(dataset, Files.createDirectory(tmp.resolve("dead"))));
    }
    Path resumedOut = Files.createDirectory(tmp.resolve("resumed"));
    List<StageProgress> progress = new ArrayList<>();
    try (Killable restarted = new Killable(Integer.MAX_VALUE)) {
      FeatureExtraction.Result r = new FeatureExtraction(spec, restarted, work, progress::add).run(dataset, resumedOut);
      assertEquals(2, r.chunksReused(), "two chunks of three batches each were finished before the kill");
      assertEquals(19 - 6, restarted.batches);
    }
    for (String file : List.of(FeatureExtraction.FEATURES, FeatureExtraction.TEST_FEATURES, DatasetImporter.LABELS,
        DatasetImporter.TEST_LABELS)) {
      assertArrayEquals(Files.readAllBytes(cleanOut.resolve(file)), Files.readAllBytes(resumedOut.resolve(file)), file);
    }
    assertArrayEquals(new long[] {90, 16}, Npy.readHeader(resumedOut.resolve(FeatureExtraction.FEATURES)).shape());
    assertEquals(new StageProgress("features", 120, 120, "images"), progress.get(progress.size() - 1));
  }

  @Test
  void aChunkLeftHalfWrittenIsComputedAgain() throws Exception {
    Path work = Files.createDirectory(tmp.resolve("w"));
    Path first = Files.createDirectory(tmp.resolve("first"));
    try (Killable x = new Killable(Integer.MAX_VALUE)) {
      new FeatureExtraction(spec, x, work, p -> {}).run(dataset, first);
    }
    Path chunk;
    try (var files = Files.list(work)) {
      chunk = files.filter(p -> p.getFileName().toString().startsWith("train")).sorted().findFirst().orElseThrow();
    }
    byte[] whole = Files.readAllBytes(chunk);
    Files.write(chunk, java.util.Arrays.copyOf(whole, whole.length / 2));
    Path second = Files.createDirectory(tmp.resolve("second"));
    try (Killable x = new Killable(Integer.MAX_VALUE)) {
      FeatureExtraction.Result r = new FeatureExtraction(spec, x, work, p -> {}).run(dataset, second);
      assertEquals(6, r.chunksReused(), "5 train + 2 test chunks, one of them broken");
      assertEquals(3, x.batches);
    }
    assertArrayEquals(Files.readAllBytes(first.resolve(FeatureExtraction.FEATURES)),
        Files.readAllBytes(second.resolve(FeatureExtraction.FEATURES)));
  }
}
