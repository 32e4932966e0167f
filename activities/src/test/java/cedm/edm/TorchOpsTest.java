package cedm.edm;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import org.junit.jupiter.api.Test;

/** The TorchScript ops against the same functions written in elementary ops, values and gradients. */
class TorchOpsTest {
  /** GroupNorm from its definition: per sample and group, (x - mean) / sqrt(var + eps), then the affine. */
  private static NDArray groupNormByHand(NDArray x, NDArray w, NDArray b, int groups, double eps) {
    Shape s = x.getShape();
    NDArray g = x.reshape(s.get(0), groups, -1);
    NDArray mean = g.mean(new int[] {2}, true);
    NDArray centred = g.sub(mean);
    NDArray var = centred.square().mean(new int[] {2}, true);
    NDArray normed = centred.div(var.add(eps).sqrt()).reshape(s);
    long c = s.get(1);
    return normed.mul(w.reshape(1, c, 1, 1)).add(b.reshape(1, c, 1, 1));
  }

  @Test
  void groupNormSiluMatchesItsDefinitionWithGradients() {
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray x = m.randomNormal(new Shape(2, 8, 4, 4));
      NDArray w = m.randomNormal(new Shape(8));
      NDArray b = m.randomNormal(new Shape(8));
      NDArray upstream = m.randomNormal(new Shape(2, 8, 4, 4));
      for (NDArray p : new NDArray[] {x, w, b}) {
        p.setRequiresGradient(true);
      }
      JniUtils.setGradMode(true);
      NDArray fused = TorchOps.groupNormSilu(x, w, b);
      JniUtils.backward((PtNDArray) fused.mul(upstream).sum(), (PtNDArray) m.create(1f), false, false);
      float[][] fusedGrads = {x.getGradient().toFloatArray(), w.getGradient().toFloatArray(), b.getGradient().toFloatArray()};
      for (NDArray p : new NDArray[] {x, w, b}) {
        p.getGradient().muli(0);
      }
      NDArray gn = groupNormByHand(x, w, b, 2, 1e-6); // 8 channels: min(32, 8/4) = 2 groups
      NDArray byHand = gn.mul(gn.getNDArrayInternal().sigmoid());
      JniUtils.backward((PtNDArray) byHand.mul(upstream).sum(), (PtNDArray) m.create(1f), false, false);
      JniUtils.setGradMode(false);
      assertEquals(0, fused.sub(byHand).abs().max().getFloat(), 1e-5, "values");
      NDArray[] params = {x, w, b};
      for (int i = 0; i < 3; i++) {
        float[] expected = params[i].getGradient().toFloatArray();
        for (int k = 0; k < expected.length; k++) {
          assertEquals(expected[k], fusedGrads[i][k], 1e-4, "gradient " + i + " at " + k);
        }
      }
    }
  }
}
