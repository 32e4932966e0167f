package cedm.features;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import cedm.io.BadInputException;
import cedm.io.Npy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The tiny ViT fixture, run by PyTorch with TEMI's preprocessing, against cedm's extraction. */
class TorchScriptExtractorTest {
  static final List<Double> MEAN = List.of(0.485, 0.456, 0.406);
  static final List<Double> STD = List.of(0.229, 0.224, 0.225);

  @TempDir Path tmp;

  @Test
  void featuresMatchTheReferenceWithin1e4() throws Exception {
    byte[] images = Npy.readBytes(Fixtures.file("images.npy"));
    float[] expected = Npy.readFloats(Fixtures.file("tiny_vit_features.npy"));
    Preprocess preprocess = new Preprocess(32, 32, 224, MEAN, STD);
    try (TorchScriptExtractor extractor = new TorchScriptExtractor(Fixtures.file("tiny_vit.pt"), Device.cpu())) {
      float[] actual = extractor.extract(preprocess.apply(images, 6), 6, 224, 224);
      assertEquals(32, extractor.dim());
      assertEquals(expected.length, actual.length);
      double worst = 0;
      for (int i = 0; i < expected.length; i++) {
        worst = Math.max(worst, Math.abs(expected[i] - actual[i]));
      }
      assertTrue(worst <= 1e-4, "max abs error " + worst);
    }
  }

  @Test
  void aFileThatIsNotAModelIsNamed() throws Exception {
    Path junk = tmp.resolve("junk.pt");
    Files.writeString(junk, "not a torchscript archive");
    BadInputException e = assertThrows(BadInputException.class, () -> new TorchScriptExtractor(junk, Device.cpu()));
    assertTrue(e.getMessage().startsWith(junk + ": not a loadable TorchScript model"), e.getMessage());
  }

  @Test
  void aMissingFileIsNamed() {
    Path missing = tmp.resolve("dino.pt");
    BadInputException e = assertThrows(BadInputException.class, () -> new TorchScriptExtractor(missing, Device.cpu()));
    assertEquals(missing + ": TorchScript model file not found", e.getMessage());
  }

  @Test
  void aModelWithTheWrongOutputShapeIsNamed() throws Exception {
    try (TorchScriptExtractor extractor = new TorchScriptExtractor(Fixtures.file("wrong_shape.pt"), Device.cpu())) {
      BadInputException e = assertThrows(BadInputException.class,
          () -> extractor.extract(new float[2 * 3 * 224 * 224], 2, 224, 224));
      assertTrue(e.getMessage().contains("wrong_shape.pt: returns shape (2, 8, 2) for 2 images (allowed: [N, D]"), e.getMessage());
    }
  }
}
