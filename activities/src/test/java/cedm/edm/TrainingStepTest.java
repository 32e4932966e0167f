package cedm.edm;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import cedm.optim.AdamW;
import cedm.optim.Autograd;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * One training step against the reference (fixtures/make_edm_fixtures.py, step.safetensors): the
 * same draws in training mode give the same gradients of every parameter through DJL's autograd,
 * and one Adam step from them gives the same weights.
 */
class TrainingStepTest {
  @Test
  void gradientsAndTheAdamStepEqualTheReference() throws Exception {
    NetworkConfig c = EdmFixtures.CONFIG;
    NetworkConfig noDropout = new NetworkConfig(c.resolution(), c.channels(), c.labelDim(), c.augmentDim(),
        c.modelChannels(), c.channelMult(), c.channelMultEmb(), c.numBlocks(), c.attnResolutions(), 0);
    try (NDManager manager = NDManager.newBaseManager()) {
      SongUNet net = new SongUNet(noDropout);
      NetworkParameters params = NetworkParameters.load(net.layout(), manager, EdmFixtures.DIR.resolve("net.safetensors"));
      params.requireGradients();
      Map<String, NDArray> loss = EdmFixtures.read(manager, "loss.safetensors");
      Map<String, NDArray> step = EdmFixtures.read(manager, "step.safetensors");
      Autograd.backward(() -> EdmLoss.perPixel(new EdmPrecond(net), params, loss.get("images"), loss.get("labels"),
          loss.get("augment_labels"), loss.get("rnd_normal"), loss.get("noise"), null).sum().div(5));
      List<String> off = new ArrayList<>();
      AdamW adam = new AdamW(0.9, 0.999, 1e-8);
      for (Map.Entry<String, NDArray> e : params.values().entrySet()) {
        NDArray reference = step.get("grad." + e.getKey());
        NDArray grad = e.getValue().getGradient();
        double scale = Math.max(reference.abs().max().getFloat(), 1e-6);
        double err = grad.sub(reference).abs().max().getFloat() / scale;
        if (err > 1e-4) {
          off.add(e.getKey() + " gradient off by " + err + " relative");
        }
        // Adam from the reference's gradient: the k part of the qkv bias has a gradient that is
        // zero up to rounding (softmax ignores a constant per query), and Adam's first step turns
        // any such noise into +-lr, so the optimiser is checked on the same input.
        adam.step(e.getKey(), e.getValue(), reference, 1e-3, 0, manager);
        double moved = e.getValue().sub(step.get("after." + e.getKey())).abs().max().getFloat();
        if (moved > 1e-6) {
          off.add(e.getKey() + " after Adam off by " + moved);
        }
      }
      assertTrue(off.isEmpty(), String.join("\n", off));
    }
  }
}
