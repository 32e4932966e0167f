package cedm.features;

import cedm.data.DatasetImporter;
import cedm.io.AtomicFile;
import cedm.io.NonFiniteException;
import cedm.io.Npy;
import cedm.io.NpyWriter;
import cedm.spec.FeaturesSpec;
import cedm.stage.StageProgress;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Features of every image of an imported dataset, computed chunk by chunk. Each finished chunk is
 * an {@code .npy} in the stage's work directory, written atomically; a restarted extraction skips
 * the finished chunks, so the result is byte-identical to an uninterrupted run.
 */
public final class FeatureExtraction {
  private static final Logger log = LoggerFactory.getLogger(FeatureExtraction.class);
  public static final String FEATURES = "features.npy";
  public static final String TEST_FEATURES = "test_features.npy";

  /** What was extracted. */
  public record Result(int count, int dim, int testCount, String extractor, int chunksReused) {}

  private final FeaturesSpec spec;
  private final FeatureExtractor extractor;
  private final Path work;
  private final Consumer<StageProgress> progress;
  private int chunksReused;

  public FeatureExtraction(FeaturesSpec spec, FeatureExtractor extractor, Path work, Consumer<StageProgress> progress) {
    this.spec = spec;
    this.extractor = extractor;
    this.work = work;
    this.progress = progress;
  }

  /** Reads the dataset artifact in {@code datasetDir}, writes features (and labels) to {@code out}. */
  public Result run(Path datasetDir, Path out) throws Exception {
    Path trainImages = datasetDir.resolve(DatasetImporter.IMAGES);
    Path testImages = datasetDir.resolve(DatasetImporter.TEST_IMAGES);
    long train = Npy.readHeader(trainImages).shape()[0];
    long test = Files.exists(testImages) ? Npy.readHeader(testImages).shape()[0] : 0;
    long total = train + test;
    int dim = split("train", trainImages, out.resolve(FEATURES), 0, total);
    copyIfPresent(datasetDir.resolve(DatasetImporter.LABELS), out.resolve(DatasetImporter.LABELS));
    if (test > 0) {
      split("test", testImages, out.resolve(TEST_FEATURES), train, total);
      copyIfPresent(datasetDir.resolve(DatasetImporter.TEST_LABELS), out.resolve(DatasetImporter.TEST_LABELS));
    }
    return new Result((int) train, dim, (int) test, extractor.describe(), chunksReused);
  }

  private static void copyIfPresent(Path from, Path to) throws IOException {
    if (Files.exists(from)) {
      Files.copy(from, to);
    }
  }

  /** Extracts one split chunk by chunk, then concatenates the chunks; returns the dimension. */
  private int split(String name, Path images, Path target, long before, long total) throws Exception {
    Npy.Header header = Npy.readHeader(images);
    int n = (int) header.shape()[0];
    int h = (int) header.shape()[1];
    int w = (int) header.shape()[2];
    Preprocess preprocess = new Preprocess(w, h, spec.imageSize(), spec.mean(), spec.std());
    int chunks = (n + spec.chunkSize() - 1) / spec.chunkSize();
    int finished = 0;
    for (int c = 0; c < chunks; c++) {
      int first = c * spec.chunkSize();
      int count = Math.min(spec.chunkSize(), n - first);
      Path chunk = chunkFile(name, c);
      if (isComplete(chunk, count)) {
        finished++;
        chunksReused++;
        progress.accept(new StageProgress("features", before + first + count, total, "images"));
        continue;
      }
      if (finished > 0 && finished == c) {
        log.info("features: {} split resumes at chunk {} of {} ({} finished chunks kept)", name, c, chunks, finished);
      }
      float[] features = extractChunk(name, images, header, first, count, h, w, preprocess, before, total);
      AtomicFile.write(chunk, tmp -> Npy.write(tmp, features, count, features.length / count));
    }
    return concatenate(name, chunks, n, target);
  }

  private float[] extractChunk(String split, Path images, Npy.Header header, int first, int count, int h, int w,
      Preprocess preprocess, long before, long total) throws Exception {
    float[] features = null;
    int imageBytes = h * w * 3;
    for (int b = 0; b < count; b += spec.batchSize()) {
      int size = Math.min(spec.batchSize(), count - b);
      ByteBuffer raw = Npy.readRange(images, header, (long) (first + b) * imageBytes, (long) size * imageBytes);
      float[] input = preprocess.apply(raw.array(), size);
      float[] batch = extractor.extract(input, size, preprocess.outHeight(), preprocess.outWidth());
      int dim = batch.length / size;
      int bad = NonFiniteException.firstNonFiniteRow(batch, dim);
      if (bad >= 0) {
        throw new NonFiniteException("features: " + extractor.describe() + " returned NaN or infinite features for image "
            + (first + b + bad) + " of the " + split + " split; the same image gives them again, check the network "
            + "(features.extractor, features.model)");
      }
      if (features == null) {
        features = new float[count * dim];
      }
      System.arraycopy(batch, 0, features, b * dim, batch.length);
      progress.accept(new StageProgress("features", before + first + b + size, total, "images"));
    }
    return features;
  }

  /** Named by chunk size too, so a resumed run with another chunk_size never mixes up chunks. */
  private Path chunkFile(String split, int index) {
    return work.resolve(String.format("%s-size%d-%05d.npy", split, spec.chunkSize(), index));
  }

  private static boolean isComplete(Path chunk, int rows) {
    if (!Files.exists(chunk)) {
      return false;
    }
    try {
      Npy.Header h = Npy.readHeader(chunk);
      return h.shape().length == 2 && h.shape()[0] == rows && h.dtype() == Npy.DType.F32;
    } catch (IOException e) {
      log.warn("features: chunk {} is unreadable ({}); computing it again", chunk, e.getMessage());
      return false;
    }
  }

  private int concatenate(String name, int chunks, int n, Path target) throws IOException {
    int dim = (int) Npy.readHeader(chunkFile(name, 0)).shape()[1];
    try (NpyWriter out = new NpyWriter(target, Npy.DType.F32, n, dim)) {
      for (int c = 0; c < chunks; c++) {
        float[] part = Npy.readFloats(chunkFile(name, c));
        if (part.length % dim != 0) {
          throw new IOException("chunk " + c + " of " + name + " has dimension other than " + dim);
        }
        out.writeFloats(part, 0, part.length);
      }
    }
    return dim;
  }
}
