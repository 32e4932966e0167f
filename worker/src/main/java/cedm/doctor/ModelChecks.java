package cedm.doctor;

import ai.djl.Device;
import cedm.eval.EvalNetwork;
import cedm.features.TorchScriptExtractor;
import cedm.spec.EvaluationSpec;
import cedm.spec.ExperimentSpec;
import cedm.spec.FeaturesSpec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The spec's TorchScript files load and give one vector per image of the size its stage expects:
 * the feature extractor (any D; DINO ViT-B/16 gives 768), Inception (2048) and DINOv2 ViT-L/14 (1024).
 */
public final class ModelChecks {

  private ModelChecks() {}

  public static List<Check> check(ExperimentSpec spec) {
    List<Check> checks = new ArrayList<>();
    FeaturesSpec features = spec.features();
    if (features.extractor() == FeaturesSpec.Extractor.TORCHSCRIPT) {
      checks.add(extractor(features));
    }
    EvaluationSpec evaluation = spec.evaluation();
    if (evaluation.featureNetwork() == EvaluationSpec.FeatureNetwork.PRETRAINED) {
      for (EvaluationSpec.Encoder encoder : evaluation.encoders()) {
        checks.add(network(encoder, evaluation.modelFile(encoder)));
      }
    }
    if (checks.isEmpty()) {
      checks.add(Check.ok("models", "none to load: the builtin extractor and evaluation network need no files"));
    }
    return checks;
  }

  private static Check extractor(FeaturesSpec features) {
    String field = "features.model";
    int size = features.imageSize();
    try (TorchScriptExtractor extractor = new TorchScriptExtractor(Path.of(features.model()), Device.cpu())) {
      float[] out = extractor.extract(new float[2 * 3 * size * size], 2, size, size);
      return Check.ok(field, features.model() + ": [2, 3, " + size + ", " + size + "] -> [2, " + out.length / 2 + "]");
    } catch (Exception e) {
      return Check.fail(field, e.getMessage());
    }
  }

  private static Check network(EvaluationSpec.Encoder encoder, String file) {
    String field = encoder.modelField();
    int dim = encoder.dim();
    int side = 32;
    try (EvalNetwork net = EvalNetwork.pretrained(encoder, Path.of(file), Device.cpu(), 2)) {
      float[] out = net.features(new byte[2 * side * side * 3], 2, side, side);
      int got = out.length / 2;
      return got == dim ? Check.ok(field, file + ": 2 images -> [2, " + got + "]")
          : Check.fail(field, file + ": gives " + got + " features per image, not " + dim);
    } catch (Exception e) {
      return Check.fail(field, e.getMessage());
    }
  }
}
