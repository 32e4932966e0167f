package cedm.data;

import cedm.spec.DatasetSpec;
import java.io.IOException;
import java.nio.file.Path;

/** Opens the source a dataset spec names. */
public final class ImageSources {
  private ImageSources() {}

  public static ImageSource open(DatasetSpec spec, long seed) throws IOException {
    return switch (spec.kind()) {
      case SHAPES -> new ShapesSource(seed, spec.resolution() != null ? spec.resolution()
          : spec.kind().resolution().orElseThrow(), spec.count(), spec.testCount(), spec.groups());
      case CIFAR10 -> new CifarSource(Path.of(spec.path()), false);
      case CIFAR100 -> new CifarSource(Path.of(spec.path()), true);
      case EDM -> new ImageFolderSource(Path.of(spec.path()), true);
      case FOLDER -> new ImageFolderSource(Path.of(spec.path()), false);
    };
  }
}
