package cedm.edm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The self-check on this machine's CPU, and what it says of a device that fails it. */
class GradientSelfCheckTest {
  @Test
  void theCpuComputesPyTorchsGradients() {
    GradientSelfCheck.Result result = GradientSelfCheck.run(Device.cpu());
    assertTrue(result.passed(), result.describe());
    assertTrue(result.worstError() < 1e-5, result.describe());
    GradientSelfCheck.require(List.of(Device.cpu(), Device.cpu()));
  }

  @Test
  void aFailingDeviceIsNamedWithItsErrorAndNaNFails() {
    GradientSelfCheck.Result wrong = new GradientSelfCheck.Result(Device.gpu(1), 0.59, "model.dec.8x8_aux_norm.weight",
        GradientSelfCheck.GPU_TOLERANCE);
    assertFalse(wrong.passed());
    assertEquals("gradients of a tiny EDM step on gpu(1) differ from PyTorch's reference: largest relative error "
        + "0.590 in model.dec.8x8_aux_norm.weight over 3 steps (allowed 1e-02); training on this device would be "
        + "silently wrong", new GradientSelfCheck.FailedException(wrong).getMessage());
    assertFalse(new GradientSelfCheck.Result(Device.cpu(), Double.NaN, "x", 1e-4).passed());
  }
}
