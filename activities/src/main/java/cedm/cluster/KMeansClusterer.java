package cedm.cluster;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import cedm.io.BadInputException;
import cedm.spec.KmeansSpec;
import java.nio.file.Path;
import java.util.List;

/** k-means on the features (scikit-learn's k-means++ with n_init restarts), the paper's baseline clustering. */
public record KMeansClusterer(KmeansSpec spec, int clusters, long seed, Device device) implements Clusterer {
  @Override
  public Result cluster(Input input, Path work, Progress progress) throws BadInputException {
    if (clusters > input.n()) {
      throw new BadInputException("cannot make " + clusters + " clusters of " + input.n() + " images");
    }
    try (NDManager manager = NDManager.newBaseManager(device)) {
      KMeans.Result r = KMeans.fit(manager, input.features(), input.n(), input.d(), clusters, spec, seed,
          done -> progress.at(done, spec.nInit(), "restarts"));
      return new Result(r.labels(), List.of(), -1, r.inertia(), 0);
    }
  }
}
