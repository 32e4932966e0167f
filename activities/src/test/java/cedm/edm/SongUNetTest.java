package cedm.edm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import cedm.io.BadInputException;
import cedm.spec.TrainingSpec.Preset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SongUNetTest {
  @Test
  void parameterCountsEqualTheReferenceNetworks() {
    for (int c : new int[] {1, 10, 100, 500}) {
      assertEquals(55_733_891L + 128L * c + 128, count(Preset.DDPMPP_CIFAR, 32, c, 9), "ddpmpp-cifar C=" + c);
      assertEquals(61_805_571L + 128L * c + 128, count(Preset.DDPMPP_FFHQ64, 64, c, 9), "ddpmpp-ffhq64 C=" + c);
    }
    assertEquals(55_732_739L, count(Preset.DDPMPP_CIFAR, 32, 0, 0));
  }

  private static long count(Preset preset, int resolution, int labels, int augment) {
    return new SongUNet(NetworkConfig.preset(preset, resolution, 3, labels, augment)).layout().count();
  }

  /** The fixture network, its weights and the reference's inputs and output (denoise.safetensors). */
  private NDManager manager;
  private final SongUNet net = new SongUNet(EdmFixtures.CONFIG);
  private NetworkParameters params;
  private Map<String, NDArray> f;

  @BeforeEach
  void loadTheFixture() throws Exception {
    manager = NDManager.newBaseManager();
    params = EdmFixtures.weights(manager, net);
    f = EdmFixtures.read(manager, "denoise.safetensors");
  }

  @AfterEach
  void release() {
    manager.close();
  }

  @Test
  void fixtureWeightsGiveTheReferenceDenoiser() throws Exception {
    NDArray d = new EdmPrecond(net).denoise(params, f.get("x"), f.get("sigma"), f.get("labels"),
        f.get("augment_labels"), null);
    double err = EdmFixtures.maxAbsDiff(d, f.get("denoised"));
    assertTrue(err <= 1e-4, "max |D_java - D_reference| = " + err);
    assertTrue(f.get("denoised").abs().max().getFloat() > 1, "the fixture output is not trivially small");
  }

  /** EDMPrecond conditions a conditional network on zero labels when none are given, as the reference does. */
  @Test
  void aConditionalNetworkWithoutLabelsUsesZeroLabels() throws Exception {
    NDArray x = f.get("x");
    NDArray zeros = manager.zeros(new ai.djl.ndarray.types.Shape(x.getShape().get(0), net.config().labelDim()));
    NDArray none = new EdmPrecond(net).denoise(params, x, f.get("sigma"), null, f.get("augment_labels"), null);
    NDArray zero = new EdmPrecond(net).denoise(params, x, f.get("sigma"), zeros, f.get("augment_labels"), null);
    assertEquals(0.0, EdmFixtures.maxAbsDiff(none, zero), 1e-6);
    assertTrue(EdmFixtures.maxAbsDiff(none, new EdmPrecond(net).denoise(params, x, f.get("sigma"), f.get("labels"),
        f.get("augment_labels"), null)) > 1e-4, "the fixture's labels change the output, so zero labels are not a no-op");
  }

  /** The network runs in float64 too, weights and input, and agrees with its float32 self. */
  @Test
  void theNetworkRunsInFloat64() throws Exception {
    Map<String, NDArray> wide = new java.util.HashMap<>();
    params.values().forEach((name, v) -> wide.put(name, v.toType(DataType.FLOAT64, false)));
    NDArray d64 = new EdmPrecond(net).denoise(wide::get, f.get("x").toType(DataType.FLOAT64, false),
        f.get("sigma").toType(DataType.FLOAT64, false), f.get("labels").toType(DataType.FLOAT64, false),
        f.get("augment_labels").toType(DataType.FLOAT64, false), null);
    assertEquals(DataType.FLOAT64, d64.getDataType());
    double err = EdmFixtures.maxAbsDiff(d64.toType(DataType.FLOAT32, false), f.get("denoised"));
    assertTrue(err <= 1e-4, "max |D_float64 - D_reference| = " + err);
  }

  @Test
  void savedWeightsLoadBackWithTheReferenceNamesAndBuffers(@TempDir Path tmp) throws Exception {
    NetworkParameters initial = NetworkParameters.initialise(net.layout(), manager, 7);
    Path file = tmp.resolve("net.safetensors");
    initial.save(file);
    NetworkParameters loaded = NetworkParameters.load(net.layout(), manager, file);
    for (var e : initial.values().entrySet()) {
      assertEquals(0.0, EdmFixtures.maxAbsDiff(e.getValue(), loaded.apply(e.getKey())), e.getKey());
    }
    Map<String, NDArray> ours = EdmFixtures.read(manager, file.toAbsolutePath().toString());
    Map<String, NDArray> reference = EdmFixtures.read(manager, "net.safetensors");
    assertEquals(new TreeSet<>(reference.keySet()), new TreeSet<>(ours.keySet()));
    assertEquals(reference.size(), ours.size(), "every reference tensor, parameters and buffers, is written");
  }

  @Test
  void aFileForAnotherNetworkIsRejectedNamingTheTensor(@TempDir Path tmp) throws Exception {
    try (NDManager manager = NDManager.newBaseManager()) {
      SongUNet other = new SongUNet(new NetworkConfig(16, 3, 5, 9, 16, java.util.List.of(1, 2, 2), 4, 1,
          java.util.List.of(8), 0.13));
      BadInputException e = assertThrows(BadInputException.class,
          () -> NetworkParameters.load(other.layout(), manager, EdmFixtures.DIR.resolve("net.safetensors")));
      assertTrue(e.getMessage().contains("model.map_label.weight has shape (16, 3), expected (16, 5)"), e.getMessage());
      Path junk = Files.writeString(tmp.resolve("junk.safetensors"), "not a tensor file");
      assertThrows(BadInputException.class, () -> NetworkParameters.load(other.layout(), manager, junk));
    }
  }
}
