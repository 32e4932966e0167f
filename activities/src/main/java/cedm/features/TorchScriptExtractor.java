package cedm.features;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ModelNotFoundException;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.translate.NoopTranslator;
import ai.djl.translate.TranslateException;
import cedm.io.BadInputException;
import cedm.memory.InputBuffer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Any TorchScript image model the user exported (the paper: DINO ViT-B/16, CLS token) that maps
 * [N, 3, H, W] to [N, D].
 */
public final class TorchScriptExtractor implements FeatureExtractor {
  private final Path file;
  private final ZooModel<NDList, NDList> model;
  private final Predictor<NDList, NDList> predictor;
  private final InputBuffer input = new InputBuffer();
  private int dim = -1;

  public TorchScriptExtractor(Path file, Device device) throws IOException {
    this.file = file;
    if (!Files.isRegularFile(file)) {
      throw new BadInputException(file + ": TorchScript model file not found");
    }
    try {
      this.model = Criteria.builder()
          .setTypes(NDList.class, NDList.class)
          .optModelPath(file)
          .optEngine("PyTorch")
          .optDevice(device)
          .optTranslator(new NoopTranslator())
          .build()
          .loadModel();
    } catch (ModelNotFoundException | MalformedModelException | RuntimeException e) {
      throw new BadInputException(file + ": not a loadable TorchScript model (" + firstLine(e) + ")", e);
    }
    this.predictor = model.newPredictor();
  }

  @Override
  public float[] extract(float[] nchw, int count, int height, int width) throws IOException {
    NDManager manager = model.getNDManager().newSubManager();
    try (manager) {
      NDList output;
      try {
        output = predictor.predict(new NDList(input.wrap(manager, nchw, new Shape(count, 3, height, width))));
      } catch (TranslateException | RuntimeException e) {
        throw new BadInputException(file + ": the model failed on a batch of shape [" + count + ", 3, " + height
            + ", " + width + "] (" + firstLine(e) + ")", e);
      }
      NDArray features = output.get(0);
      Shape shape = features.getShape();
      if (shape.dimension() != 2 || shape.get(0) != count) {
        throw new BadInputException(file + ": returns shape " + shape + " for " + count
            + " images (allowed: [N, D], one feature vector per image)");
      }
      dim = (int) shape.get(1);
      return features.toType(ai.djl.ndarray.types.DataType.FLOAT32, false).toFloatArray();
    }
  }

  private static String firstLine(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && (t.getMessage() == null || t.getMessage().isBlank())) {
      t = t.getCause();
    }
    String m = String.valueOf(t.getMessage());
    return m.lines().findFirst().orElse(m);
  }

  @Override
  public int dim() {
    return dim;
  }

  @Override
  public String describe() {
    return "TorchScript " + file.getFileName();
  }

  @Override
  public void close() {
    predictor.close();
    model.close();
  }
}
