package cedm.edm;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The reference fixtures written by fixtures/make_edm_fixtures.py. */
final class EdmFixtures {
  static final Path DIR = Path.of("src/test/resources/fixtures/edm");

  /** The fixture network: 16x16, 3 labels, augment labels, channels 16 x [1,2,2], 1 block, attention at 8. */
  static final NetworkConfig CONFIG = new NetworkConfig(16, 3, 3, 9, 16, List.of(1, 2, 2), 4, 1, List.of(8), 0.13);

  private EdmFixtures() {}

  static Map<String, NDArray> read(NDManager manager, String file) throws IOException {
    try (InputStream in = Files.newInputStream(DIR.resolve(file))) {
      NDList list = NDList.decode(manager, in);
      Map<String, NDArray> out = new LinkedHashMap<>();
      list.forEach(a -> out.put(a.getName(), a));
      return out;
    }
  }

  /** The fixture network's weights (net.safetensors), in {@code manager}. */
  static NetworkParameters weights(NDManager manager, SongUNet net) throws IOException {
    return NetworkParameters.load(net.layout(), manager, DIR.resolve("net.safetensors"));
  }

  static double maxAbsDiff(NDArray a, NDArray b) {
    return a.sub(b).abs().max().getFloat();
  }
}
