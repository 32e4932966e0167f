package cedm.memory;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.util.cuda.CudaUtils;
import cedm.edm.EdmPrecond;
import cedm.edm.HeunSampler;
import cedm.edm.NetworkConfig;
import cedm.edm.NetworkParameters;
import cedm.edm.SampleGenerator;
import cedm.edm.SongUNet;
import cedm.eval.EvalNetwork;
import cedm.features.FeatureExtractor;
import cedm.features.Preprocess;
import cedm.io.ChildJvm;
import cedm.spec.EvaluationSpec;
import cedm.spec.EvaluationSpec.Encoder;
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
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * What each network of a spec costs in memory, measured in a fresh process on one device: its
 * weights, a working overhead, and the working set per image, from two batch sizes. The networks:
 * the features stage's extractor (with its resize), the EDM sampler (one Heun step and its
 * correction, as {@link SampleGenerator} runs them), and each evaluation encoder. Formulas in
 * {@link StageFootprint} add the data each stage holds.
 *
 * <p>On the CPU a figure is resident memory (its high-water mark reset before each batch); on a GPU,
 * the device memory in use after the batch (CUDA's caching allocator keeps what the batch needed).
 */
public final class NetworkProbe {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration PROBE_TIME = Duration.ofMinutes(30);
  /** The two batch sizes: far enough apart that the difference is the images', not the allocator's rounding. */
  static final int SMALL = 4;
  static final int LARGE = 12;
  /** Class labels of the probed sampler: the embedding's width is negligible beside the network. */
  private static final int LABELS = 10;

  /** Names of the probed networks, as {@link Result#network} looks them up. */
  public static final String FEATURES = "features";
  public static final String SAMPLER = "sampler";
  public static final String TEMI = "temi";
  /** TEMI's batch sizes: its rows are far smaller than an image's activations. */
  private static final int TEMI_SMALL = 64;
  private static final int TEMI_LARGE = 192;

  /**
   * One network: bytes it holds once loaded, a fixed working overhead, bytes per image of a batch,
   * and the features it gives per image (for the sampler, the values of an image).
   */
  public record Measured(String network, long weights, long overhead, long perImage, int width) {
    /** Bytes while it runs a batch of {@code batch}. */
    public long at(int batch) {
      return weights + overhead + perImage * batch;
    }
  }

  /**
   * The process's resident memory before any network (JVM, engine), on a GPU the device's memory in
   * use then (CUDA's context; 0 on the CPU), and each network's.
   */
  public record Result(String device, long hostBase, long deviceBase, List<Measured> networks) {
    public Measured network(String name) {
      return networks.stream().filter(n -> n.network().equals(name)).findFirst()
          .orElseThrow(() -> new IllegalArgumentException("no network " + name + " was probed: " + networks));
    }
  }

  private NetworkProbe() {}

  /** The name under which an encoder is probed. */
  public static String encoder(Encoder encoder) {
    return "encoder " + encoder.id();
  }

  /** Probes {@code spec}'s networks on {@code device} ("cpu" or a CUDA id) in a fresh JVM. */
  public static Result measure(ExperimentSpec spec, String device) throws IOException, InterruptedException {
    ProcessBuilder builder = ChildJvm.of(NetworkProbe.class, JSON.writeValueAsString(spec), device);
    // Freed working sets go back to the system, so each batch's high-water mark is its own.
    builder.environment().put("MALLOC_MMAP_THRESHOLD_", "65536");
    ChildJvm.Ended probe = ChildJvm.run(builder, PROBE_TIME);
    String last = probe.lastLine();
    if (probe.exitCode() != 0 || !last.startsWith("{")) {
      throw new IOException("network memory probe on " + device + " failed: " + last);
    }
    return JSON.readValue(last, Result.class);
  }

  public static void main(String[] args) throws Exception {
    ExperimentSpec spec = JSON.readValue(args[0], ExperimentSpec.class);
    Device device = args[1].equals("cpu") ? Device.cpu() : Device.gpu(Integer.parseInt(args[1]));
    Meter meter = Meter.of(device);
    try (NDManager warm = NDManager.newBaseManager(device)) {
      warm.ones(new Shape(2, 2)).matMul(warm.ones(new Shape(2, 2))).sum().getFloat();
    }
    long hostBase = PeakMemory.resident();
    long deviceBase = device.isGpu() ? meter.now() : 0;
    int side = spec.imageResolution();
    List<Measured> networks = new ArrayList<>();
    networks.add(features(spec, side, device, meter));
    networks.add(sampler(spec, side, device, meter));
    networks.add(temi(spec, networks.get(0).width(), device, meter));
    for (Encoder encoder : spec.evaluation().encoders()) {
      networks.add(encoder(spec.evaluation(), encoder, side, device, meter));
    }
    System.out.println(JSON.writeValueAsString(new Result(device.toString(), hostBase, deviceBase, networks)));
  }

  /** Memory now and the peak since the last reset, of the host or of a device. */
  private interface Meter {
    long now();

    long peakSinceReset();

    void reset();

    /**
     * The host's resident memory and its high-water mark; on a GPU, CUDA's memory in use, whose
     * caching allocator keeps the peak a batch needed, so its reading after a batch is the peak.
     */
    static Meter of(Device device) {
      if (device.isGpu()) {
        return new Meter() {
          @Override
          public long now() {
            return CudaUtils.getGpuMemory(device).getUsed();
          }

          @Override
          public long peakSinceReset() {
            return now();
          }

          @Override
          public void reset() {}
        };
      }
      return new Meter() {
        @Override
        public long now() {
          return PeakMemory.resident();
        }

        @Override
        public long peakSinceReset() {
          return PeakMemory.peak().residentBytes();
        }

        @Override
        public void reset() {
          PeakMemory.reset();
        }
      };
    }
  }

  /** Runs one batch of {@code n} images through a loaded network; returns the values it gives per image. */
  @FunctionalInterface
  private interface Batch {
    int run(int n) throws Exception;
  }

  /** Loads a network, runs a batch of one twice (lazy initialisation), then SMALL and LARGE. */
  private static Measured measure(String name, Meter meter, AutoCloseable network, long before, Batch batch)
      throws Exception {
    return measure(name, meter, network, before, batch, 1, SMALL, LARGE);
  }

  private static Measured measure(String name, Meter meter, AutoCloseable network, long before, Batch batch, int warm,
      int small, int large) throws Exception {
    try (network) {
      int width = batch.run(warm);
      batch.run(warm);
      long loaded = meter.now();
      meter.reset();
      batch.run(small);
      long smallPeak = meter.peakSinceReset();
      meter.reset();
      batch.run(large);
      long largePeak = meter.peakSinceReset();
      long perImage = Math.max(0, (largePeak - smallPeak) / (large - small));
      return new Measured(name, Math.max(0, loaded - before), Math.max(0, smallPeak - loaded - perImage * small),
          perImage, width);
    }
  }

  private static Measured features(ExperimentSpec spec, int side, Device device, Meter meter) throws Exception {
    long before = meter.now();
    FeatureExtractor extractor = FeatureExtractor.open(spec.features(), spec.seed(), device);
    Preprocess preprocess = new Preprocess(side, side, spec.features().imageSize(), spec.features().mean(),
        spec.features().std());
    return measure(FEATURES, meter, extractor, before, n -> extractor.extract(preprocess.apply(images(n, side), n), n,
        preprocess.outHeight(), preprocess.outWidth()).length / n);
  }

  private static Measured sampler(ExperimentSpec spec, int side, Device device, Meter meter) throws Exception {
    long before = meter.now();
    NDManager manager = NDManager.newBaseManager(device);
    SongUNet net = new SongUNet(NetworkConfig.of(spec.training(), side, 3, LABELS));
    NetworkParameters params = NetworkParameters.initialise(net.layout(), manager, 0);
    long[] counts = new long[LABELS];
    Arrays.fill(counts, 1);
    EvaluationSpec e = spec.evaluation();
    return measure(SAMPLER, meter, manager, before, n -> {
      // Two steps: a full Euler step with Heun's correction, then the last; more steps only repeat them.
      SampleGenerator generator = new SampleGenerator(new EdmPrecond(net), params,
          new HeunSampler(2, e.sigmaMin(), e.sigmaMax(), e.rho()), counts, n);
      long[] seeds = new long[n];
      for (int i = 0; i < n; i++) {
        seeds[i] = i;
      }
      return generator.pixels(manager, seeds).length / n;
    });
  }

  /**
   * One TEMI epoch of two steps on random features of the extractor's width, at the C the memory
   * model predicts: the heads, their teacher, gradients and Adam's moments, and per row of a batch
   * the activations of both views through every head.
   */
  private static Measured temi(ExperimentSpec spec, int width, Device device, Meter meter) throws Exception {
    long before = meter.now();
    int m = spec.features().knn();
    Path dir = Files.createTempDirectory("cedm-temi-probe");
    int clusters = StageFootprint.temiClusters(spec);
    AutoCloseable cleanup = () -> ArtifactStore.deleteTree(dir);
    return measure(TEMI, meter, cleanup, before, batch -> {
      int n = 2 * batch;
      float[] features = new float[n * width];
      SplittableRandom random = new SplittableRandom(batch);
      for (int i = 0; i < features.length; i++) {
        features[i] = (float) random.nextGaussian();
      }
      long[] knn = new long[n * m];
      for (int i = 0; i < knn.length; i++) {
        knn[i] = random.nextInt(n);
      }
      ObjectNode temi = JSON.valueToTree(spec.clustering().temi());
      temi.put("epochs", 1);
      temi.put("warmupEpochs", 0);
      temi.put("batchSize", batch);
      temi.put("neighbours", Math.min(m, spec.clustering().temi().neighbours()));
      new TemiTrainer(JSON.treeToValue(temi, TemiSpec.class), clusters, 0, device).train(features, n, width, knn, m,
          new Checkpoints(Files.createTempDirectory(dir, "c"), 1), p -> {});
      return clusters;
    }, TEMI_SMALL, TEMI_SMALL, TEMI_LARGE);
  }

  private static Measured encoder(EvaluationSpec spec, Encoder encoder, int side, Device device, Meter meter)
      throws Exception {
    long before = meter.now();
    // One network whose batch is whatever a call brings: the probe sets the batch by the call.
    EvalNetwork network = spec.featureNetwork() == EvaluationSpec.FeatureNetwork.BUILTIN
        ? EvalNetwork.builtin(encoder.id(), device, LARGE)
        : EvalNetwork.pretrained(encoder, Path.of(spec.modelFile(encoder)), device, LARGE);
    return measure(encoder(encoder), meter, network, before,
        n -> network.features(images(n, side), n, side, side).length / n);
  }

  private static byte[] images(int n, int side) {
    byte[] images = new byte[n * side * side * 3];
    new SplittableRandom(n).nextBytes(images);
    return images;
  }
}
