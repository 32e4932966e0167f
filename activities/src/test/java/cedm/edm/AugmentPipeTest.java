package cedm.edm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AugmentPipeTest {
  /** Hands out the reference's recorded draws in order, checking kind and shape. */
  static final class Replay implements AugmentDraws {
    private final List<Map.Entry<String, NDArray>> draws = new ArrayList<>();
    private int next;

    Replay(Map<String, NDArray> fixture) {
      fixture.entrySet().stream().filter(e -> e.getKey().startsWith("draw")).sorted(Map.Entry.comparingByKey())
          .forEach(draws::add);
    }

    private NDArray take(String kind, Shape shape) {
      Map.Entry<String, NDArray> d = draws.get(next++);
      assertTrue(d.getKey().endsWith("_" + kind), "draw " + (next - 1) + " is " + d.getKey() + ", pipe asked for " + kind);
      assertEquals(shape, d.getValue().getShape(), d.getKey());
      return d.getValue();
    }

    @Override
    public NDArray rand(NDManager manager, Shape shape) {
      return take("rand", shape);
    }

    @Override
    public NDArray randn(NDManager manager, Shape shape) {
      return take("randn", shape);
    }

    @Override
    public NDArray randint(NDManager manager, long high, Shape shape) {
      return take("randint", shape);
    }

    boolean exhausted() {
      return next == draws.size();
    }
  }

  @Test
  void givenTheSameDrawsItProducesTheReferenceImagesAndLabels() throws Exception {
    try (NDManager manager = NDManager.newBaseManager()) {
      Map<String, NDArray> f = EdmFixtures.read(manager, "augment.safetensors");
      Replay draws = new Replay(f);
      AugmentPipe.Result r = new AugmentPipe(0.7).apply(f.get("images"), draws);
      assertTrue(draws.exhausted(), "every reference draw consumed, in order");
      assertEquals(f.get("out_images").getShape(), r.images().getShape());
      double labelErr = EdmFixtures.maxAbsDiff(r.labels(), f.get("out_labels"));
      assertTrue(labelErr <= 1e-5, "augment labels differ by " + labelErr);
      double imageErr = EdmFixtures.maxAbsDiff(r.images(), f.get("out_images"));
      assertTrue(imageErr <= 1e-4, "augmented images differ by " + imageErr);
      assertTrue(EdmFixtures.maxAbsDiff(f.get("images"), f.get("out_images")) > 0.5, "the fixture augments something");
      float[] labels = f.get("out_labels").toFloatArray();
      for (int column = 0; column < NetworkConfig.AUGMENT_DIM; column++) {
        boolean used = false;
        for (int row = column; row < labels.length; row += NetworkConfig.AUGMENT_DIM) {
          used |= labels[row] != 0;
        }
        assertTrue(used, "the fixture exercises augment label " + column);
      }
    }
  }
}
