package cedm.features;

import java.net.URISyntaxException;
import java.nio.file.Path;

/** Files made by fixtures/make_feature_fixtures.py. */
final class Fixtures {
  private Fixtures() {}

  static Path file(String name) {
    try {
      return Path.of(Fixtures.class.getResource("/fixtures/features/" + name).toURI());
    } catch (URISyntaxException | NullPointerException e) {
      throw new IllegalStateException("missing fixture " + name, e);
    }
  }
}
