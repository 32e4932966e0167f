package cedm.edm;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EdmLossTest {
  @Test
  void givenTheSameNoiseTheLossEqualsTheReference() throws Exception {
    try (NDManager manager = NDManager.newBaseManager()) {
      SongUNet net = new SongUNet(EdmFixtures.CONFIG);
      NetworkParameters params = EdmFixtures.weights(manager, net);
      Map<String, NDArray> f = EdmFixtures.read(manager, "loss.safetensors");
      NDArray perPixel = EdmLoss.perPixel(new EdmPrecond(net), params, f.get("images"), f.get("labels"),
          f.get("augment_labels"), f.get("rnd_normal"), f.get("noise"), null);
      NDArray reference = f.get("loss_per_pixel");
      double relative = perPixel.sub(reference).abs().max().getFloat() / reference.abs().max().getFloat();
      assertTrue(relative <= 1e-5, "per-pixel loss differs by " + relative + " relative");
      double loss = perPixel.sum().getFloat() / 5;
      double expected = f.get("loss").getFloat();
      assertTrue(Math.abs(loss - expected) <= 1e-5 * expected, "loss " + loss + " vs reference " + expected);
    }
  }
}
