package cedm.features;

import ai.djl.Device;
import cedm.spec.FeaturesSpec;
import java.io.IOException;
import java.nio.file.Path;

/** A frozen network mapping preprocessed images (float NCHW) to one feature vector each. */
public interface FeatureExtractor extends AutoCloseable {

  /** The features stage's network: the spec's TorchScript file, or the builtin CNN seeded by {@code seed}. */
  static FeatureExtractor open(FeaturesSpec spec, long seed, Device device) throws IOException {
    return spec.extractor() == FeaturesSpec.Extractor.TORCHSCRIPT
        ? new TorchScriptExtractor(Path.of(spec.model()), device)
        : new BuiltinExtractor(seed, spec.dim(), device);
  }

  /** Features of {@code count} images of {@code height} x {@code width}, row-major [count, dim]. */
  float[] extract(float[] nchw, int count, int height, int width) throws Exception;

  /** Feature dimension; known after the first batch for TorchScript models. */
  int dim();

  /** How results computed with it should be labelled, e.g. "builtin random CNN (NOT pre-trained)". */
  String describe();

  @Override
  void close();
}
