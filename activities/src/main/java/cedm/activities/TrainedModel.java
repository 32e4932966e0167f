package cedm.activities;

import ai.djl.ndarray.NDManager;
import cedm.edm.EdmPrecond;
import cedm.edm.HeunSampler;
import cedm.edm.NetworkConfig;
import cedm.edm.NetworkParameters;
import cedm.edm.SampleGenerator;
import cedm.edm.SongUNet;
import cedm.io.Npy;
import cedm.spec.EvaluationSpec;
import cedm.store.Artifact;
import cedm.store.ArtifactStore;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;

/**
 * A training artifact as a sampler sees it: the network's configuration, its EMA weights and the
 * class frequencies q(c). Evaluation and reports sample from it.
 */
public record TrainedModel(Artifact artifact, NetworkConfig config, long[] classCounts) {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The training artifact {@code trainingId} of {@code store}; missing or corrupt is an error naming it. */
  public static TrainedModel find(ArtifactStore store, String trainingId) throws IOException {
    return of(Stage.TRAINING.require(store, trainingId));
  }

  static TrainedModel of(Artifact training) throws IOException {
    return new TrainedModel(training,
        JSON.readValue(training.file(TrainingActivitiesImpl.NETWORK).toFile(), NetworkConfig.class),
        Npy.readLongs(training.file(TrainingActivitiesImpl.CLASS_COUNTS)));
  }

  /** A generator with the EMA weights loaded into {@code manager}, sampling as {@code spec} says. */
  public SampleGenerator generator(NDManager manager, EvaluationSpec spec) throws IOException {
    SongUNet net = new SongUNet(config);
    NetworkParameters params = NetworkParameters.load(net.layout(), manager, artifact.file(TrainingActivitiesImpl.EMA));
    return new SampleGenerator(new EdmPrecond(net), params,
        new HeunSampler(spec.steps(), spec.sigmaMin(), spec.sigmaMax(), spec.rho()), classCounts, spec.batchSize());
  }
}
