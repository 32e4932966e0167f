package cedm.temi;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import cedm.io.Npy;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Against fixtures/make_temi_fixtures.py: TEMI's loss and gradients computed by PyTorch in float64. */
class TemiLossTest {

  private static Path fixture(String name) throws URISyntaxException {
    return Path.of(TemiLossTest.class.getResource("/fixtures/temi/" + name + ".npy").toURI());
  }

  private static NDArray load(NDManager m, String name, DataType type) throws Exception {
    Npy.Header h = Npy.readHeader(fixture(name));
    return m.create(Npy.readDoubles(fixture(name)), new Shape(h.shape())).toType(type, false);
  }

  private static TemiHeads heads(NDManager m, String prefix, DataType type) throws Exception {
    Map<String, NDArray> p = new HashMap<>();
    for (String name : TemiHeads.NAMES) {
      p.put(name, load(m, prefix + name, type));
    }
    return TemiHeads.of(p);
  }

  private static void assertClose(NDArray expected, NDArray actual, double relative, String what) {
    double[] e = expected.toType(DataType.FLOAT64, false).toDoubleArray();
    double[] a = actual.toType(DataType.FLOAT64, false).toDoubleArray();
    double scale = 0;
    double worst = 0;
    for (int i = 0; i < e.length; i++) {
      scale = Math.max(scale, Math.abs(e[i]));
      worst = Math.max(worst, Math.abs(e[i] - a[i]));
    }
    assertTrue(worst <= relative * scale, what + ": max error " + worst + " against scale " + scale);
  }

  private void check(DataType type, double tolerance) throws Exception {
    try (NDManager m = NDManager.newBaseManager()) {
      TemiHeads student = heads(m, "student_", type);
      TemiHeads teacher = heads(m, "teacher_", type);
      NDArray views = load(m, "x", type).concat(load(m, "x_neighbour", type), 0);
      NDArray prior = load(m, "prior", type);
      student.requireGradients();
      TemiLoss loss = new TemiLoss(0.6, 0.1, 0.1, 0.9);
      TemiLoss.Result result;
      NDArray total;
      try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
        result = loss.apply(student.logits(views), teacher.logits(views), prior);
        total = result.headLosses().mean();
        gc.backward(total);
      }
      assertClose(load(m, "prior_after", type), result.priors(), tolerance, "priors");
      assertClose(load(m, "head_losses", type), result.headLosses(), tolerance, "head losses");
      assertClose(load(m, "loss", type), total.reshape(1), tolerance, "loss");
      assertClose(load(m, "grad_w1", type), student.get("w1").getGradient(), tolerance, "dL/dw1");
      assertClose(load(m, "grad_v", type), student.get("v").getGradient(), tolerance, "dL/dv");
      assertClose(load(m, "grad_g", type), student.get("g").getGradient(), tolerance, "dL/dg");
    }
  }

  @Test
  void lossPriorsAndGradientsEqualTheReferenceInFloat64() throws Exception {
    check(DataType.FLOAT64, 1e-10);
  }

  @Test
  void andWithin1e5InFloat32AsTrainingRuns() throws Exception {
    check(DataType.FLOAT32, 1e-5);
  }
}
