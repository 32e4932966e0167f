package cedm.workflow;

import cedm.spec.LoadedSpec;
import cedm.spec.SpecException;
import cedm.spec.SpecLoader;
import java.nio.file.Path;

/** Specs for the workflow tests: the shapes dataset with builtin features, then the test's own sections. */
final class TestSpecs {
  private TestSpecs() {}

  static LoadedSpec parse(String name, String sections) throws SpecException {
    return SpecLoader.parse(name + ".yaml", """
        name: %s
        dataset: {kind: shapes}
        features: {extractor: builtin, knn: 20}
        clustering: {temi: {neighbours: 20}}
        """.formatted(name) + sections, Path.of("."));
  }
}
