package cedm.rehearsal;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import cedm.bench.TrainingProbe;
import cedm.data.DatasetImporter;
import cedm.data.ImageSources;
import cedm.edm.EdmPrecond;
import cedm.edm.HeunSampler;
import cedm.edm.NetworkConfig;
import cedm.edm.NetworkParameters;
import cedm.edm.SampleGenerator;
import cedm.edm.SongUNet;
import cedm.eval.EvalNetwork;
import cedm.eval.FeatureStatistics;
import cedm.eval.ReferenceStatistics;
import cedm.eval.SampleShards;
import cedm.eval.SetScores;
import cedm.features.FeatureExtraction;
import cedm.features.FeatureExtractor;
import cedm.io.Npy;
import cedm.knn.KnnMiner;
import cedm.memory.StageFootprint;
import cedm.spec.EvaluationSpec;
import cedm.spec.EvaluationSpec.Encoder;
import cedm.spec.EvaluationSpec.Metric;
import cedm.spec.ExperimentSpec;
import cedm.spec.TemiSpec;
import cedm.store.ArtifactStore;
import cedm.store.Checkpoints;
import cedm.temi.TemiTrainer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The stages of the chain as a rehearsal runs them, each on the CPU in a process of its own, through
 * the classes the activities call, reading what the stage before wrote into the rehearsal's folder.
 * Each returns one line saying what it computed.
 */
public enum RehearsedStage {
  /** The training images, imported as the dataset stage does. */
  DATASET {
    @Override
    String run(ExperimentSpec spec, Path dir) throws Exception {
      DatasetImporter.Summary s = DatasetImporter.write(ImageSources.open(spec.dataset(), spec.seed()),
          fresh(dir.resolve("dataset")), spec.dataset().resolution(), spec.dataset().maxImages(), done -> {});
      return s.toString();
    }
  },
  /** Every image through the features stage's network, chunk by chunk. */
  FEATURES {
    @Override
    String run(ExperimentSpec spec, Path dir) throws Exception {
      try (FeatureExtractor extractor = FeatureExtractor.open(spec.features(), spec.seed(), Device.cpu())) {
        FeatureExtraction.Result r = new FeatureExtraction(spec.features(), extractor, fresh(dir.resolve("features-work")),
            p -> {}).run(dir.resolve("dataset"), fresh(dir.resolve("features")));
        return r.count() + " x " + r.dim() + " features";
      }
    }
  },
  /** features.knn neighbours of every image, as the kNN stage mines them. */
  KNN {
    @Override
    String run(ExperimentSpec spec, Path dir) throws Exception {
      Path file = features(dir);
      long[] shape = Npy.readHeader(file).shape();
      int n = (int) shape[0];
      int m = spec.features().knn();
      KnnMiner.Neighbours r = KnnMiner.mine(Npy.readFloats(file), n, (int) shape[1], m, KnnMiner.BLOCK_ROWS, done -> {});
      Npy.write(fresh(dir.resolve("knn")).resolve("indices.npy"), r.indices(), n, m);
      return n + " x " + m + " neighbours";
    }
  },
  /** One epoch of TEMI's heads at the C its memory is predicted for: more epochs only repeat it. */
  TEMI {
    @Override
    String run(ExperimentSpec spec, Path dir) throws Exception {
      Path file = features(dir);
      long[] shape = Npy.readHeader(file).shape();
      Path knn = dir.resolve("knn").resolve("indices.npy");
      int width = (int) Npy.readHeader(knn).shape()[1];
      ObjectNode temi = JSON.valueToTree(spec.clustering().temi());
      temi.put("epochs", 1);
      temi.put("warmupEpochs", 0);
      temi.put("freezeLastLayerEpochs", 0);
      int clusters = StageFootprint.temiClusters(spec);
      TemiTrainer.Outcome o = new TemiTrainer(JSON.treeToValue(temi, TemiSpec.class), clusters, spec.seed(),
          Device.cpu()).train(Npy.readFloats(file), (int) shape[0], (int) shape[1], Npy.readLongs(knn), width,
          new Checkpoints(fresh(dir.resolve("temi-checkpoints")), 1), p -> {});
      return String.format(Locale.ROOT, "C = %d, %d heads, 1 epoch, best head loss %.4f", clusters,
          o.headLosses().length, o.headLosses()[o.bestHead()]);
    }
  },
  /** One EDM step of batch_gpu images in one round: its memory is that of every step. */
  TRAINING {
    @Override
    String run(ExperimentSpec spec, Path dir) throws Exception {
      int batch = batchGpu(spec);
      TrainingProbe.Result r = TrainingProbe.run(spec.training(), spec.imageResolution(), LABELS, batch, Device.cpu(), 1);
      return String.format(Locale.ROOT, "%s, batch_gpu %d: %.2f images/s", spec.training().preset().id(), batch,
          r.imagesPerSecond());
    }
  },
  /** The training images' statistics through every encoder (and the rows PRDC reads). */
  REFERENCE {
    @Override
    String run(ExperimentSpec spec, Path dir) throws Exception {
      fresh(dir.resolve("reference"));
      List<String> done = new ArrayList<>();
      for (Encoder encoder : spec.evaluation().encoders()) {
        try (EvalNetwork network = EvalNetwork.forSpec(spec.evaluation(), encoder, Device.cpu())) {
          ReferenceStatistics.compute(network, dir.resolve("dataset").resolve(DatasetImporter.IMAGES),
              needsRows(spec, encoder) ? rows(dir, encoder) : null, n -> {}).write(moments(dir, encoder));
          done.add(encoder.id());
        }
      }
      return "moments of " + String.join(", ", done);
    }
  },
  /**
   * The evaluation as its activity runs it: the sampler and every encoder loaded, the samples
   * generated shard by shard and encoded, each set's statistics and scores.
   */
  EVALUATION {
    @Override
    String run(ExperimentSpec spec, Path dir) throws Exception {
      EvaluationSpec e = spec.evaluation();
      int side = spec.imageResolution();
      List<EvalNetwork> networks = new ArrayList<>();
      try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
        for (Encoder encoder : e.encoders()) {
          networks.add(EvalNetwork.forSpec(e, encoder, Device.cpu()));
        }
        SongUNet net = new SongUNet(NetworkConfig.of(spec.training(), side, 3, LABELS));
        long[] counts = new long[LABELS];
        Arrays.fill(counts, 1);
        SampleGenerator generator = new SampleGenerator(new EdmPrecond(net),
            NetworkParameters.initialise(net.layout(), manager, 0),
            new HeunSampler(e.steps(), e.sigmaMin(), e.sigmaMax(), e.rho()), counts, e.batchSize());
        SampleShards shards = new SampleShards(fresh(dir.resolve("shards-" + e.shardSize())), e.sets(),
            e.samplesPerSet(), e.shardSize());
        shards.generate(manager, generator, networks, side, false, done -> {});
        int images = (int) Npy.readHeader(dir.resolve("dataset").resolve(DatasetImporter.IMAGES)).shape()[0];
        List<String> scores = new ArrayList<>();
        for (int i = 0; i < networks.size(); i++) {
          Encoder encoder = e.encoders().get(i);
          SetScores.Reference reference = new SetScores.Reference(FeatureStatistics.Moments.read(moments(dir, encoder)),
              needsRows(spec, encoder) ? rows(dir, encoder) : null, images);
          for (int s = 0; s < e.sets(); s++) {
            FeatureStatistics.Moments set = shards.statistics(s, networks.get(i)).moments();
            for (Metric metric : e.metrics()) {
              if (metric.encoder() == encoder) {
                SetScores.score(metric, e, s, shards, networks.get(i), set, reference, t -> {})
                    .forEach((k, v) -> scores.add(String.format(Locale.ROOT, "%s %.3f", k, v)));
              }
            }
          }
        }
        return String.join(", ", scores);
      } finally {
        networks.forEach(EvalNetwork::close);
      }
    }
  };

  private static final ObjectMapper JSON = new ObjectMapper();
  /** Class labels of the rehearsed networks. */
  static final int LABELS = 10;

  /** Runs the stage on {@code spec}'s sizes; returns what it computed, in a few words. */
  abstract String run(ExperimentSpec spec, Path dir) throws Exception;

  /** The stage's name in the rehearsal's table. */
  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Images per forward and backward pass on one device. */
  static int batchGpu(ExperimentSpec spec) {
    int perDevice = spec.training().batchSize() / Math.max(1, spec.runtime().gpusPerTrial());
    return spec.training().batchGpu() == null ? perDevice : Math.min(spec.training().batchGpu(), perDevice);
  }

  /** An empty folder: a stage rehearsed again computes everything again, resuming nothing it left. */
  private static Path fresh(Path folder) throws IOException {
    if (Files.exists(folder)) {
      ArtifactStore.deleteTree(folder);
    }
    return Files.createDirectories(folder);
  }

  private static Path features(Path dir) {
    return dir.resolve("features").resolve(FeatureExtraction.FEATURES);
  }

  private static boolean needsRows(ExperimentSpec spec, Encoder encoder) {
    return spec.evaluation().metrics().stream().anyMatch(m -> m.encoder() == encoder && m.needsRows());
  }

  private static Path moments(Path dir, Encoder encoder) {
    return dir.resolve("reference").resolve(encoder.id() + ".npz");
  }

  private static Path rows(Path dir, Encoder encoder) {
    return dir.resolve("reference").resolve(encoder.id() + ".rows.npy");
  }
}
