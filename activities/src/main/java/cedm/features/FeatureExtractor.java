package cedm.features;

/** A frozen network mapping preprocessed images (float NCHW) to one feature vector each. */
public interface FeatureExtractor extends AutoCloseable {

  /** Features of {@code count} images of {@code height} x {@code width}, row-major [count, dim]. */
  float[] extract(float[] nchw, int count, int height, int width) throws Exception;

  /** Feature dimension; known after the first batch for TorchScript models. */
  int dim();

  /** How results computed with it should be labelled, e.g. "builtin random CNN (NOT pre-trained)". */
  String describe();

  @Override
  void close();
}
