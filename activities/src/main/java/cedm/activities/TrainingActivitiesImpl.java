package cedm.activities;

import ai.djl.Device;
import cedm.data.DatasetImporter;
import cedm.edm.EdmTrainer;
import cedm.edm.NetworkConfig;
import cedm.edm.TrainingData;
import cedm.edm.TrainingListener;
import cedm.edm.TrainingOutcome;
import cedm.edm.TrainingProgress;
import cedm.io.BadInputException;
import cedm.io.Npy;
import cedm.stage.RunLabels;
import cedm.stage.SnapshotArtifact;
import cedm.stage.StageProgress;
import cedm.stage.TimeSpan;
import cedm.stage.TrainingActivities;
import cedm.stage.TrainingArtifact;
import cedm.stage.TrainingRequest;
import cedm.stage.TrainingRequest.Conditioning;
import cedm.store.Artifact;
import cedm.store.ArtifactStore;
import cedm.store.Checkpoints;
import cedm.store.StageKey;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** EDM training of one grid point on this worker's device, resumable from its checkpoints. */
public final class TrainingActivitiesImpl implements TrainingActivities {
  private static final Logger log = LoggerFactory.getLogger(TrainingActivitiesImpl.class);
  /** The EMA weights, safetensors with NVlabs/edm's EDMPrecond parameter names. */
  public static final String EMA = "ema.safetensors";
  /** The network's configuration, to rebuild it for sampling or in NVlabs/edm. */
  public static final String NETWORK = "network.json";
  /** Training images per class id 0..(labelDim-1): q(c) for the sampler. */
  public static final String CLASS_COUNTS = "class_counts.npy";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final ArtifactStore store;
  private final DevicePool.Claim devices;

  /** Trains on {@code devices}: one device's slot, or any runtime.gpus_per_trial devices of the pool. */
  public TrainingActivitiesImpl(ArtifactStore store, DevicePool.Claim devices) {
    this.store = store;
    this.devices = devices;
  }

  @Override
  public TrainingArtifact train(TrainingRequest request) {
    return StageRun.onDevices(Stage.TRAINING.id(), request.labels(), devices, store.ledger()).run(leased -> {
      Sources in = sources(request);
      ArtifactStore.Obtained obtained = store.obtain(in.key(), dir -> produce(request, in, leased, dir, 0),
          StageRun::heartbeatWaiting);
      Meta m = obtained.artifact().meta(Meta.class);
      return new TrainingArtifact(in.key().id(), obtained.reused(), RunLabels.orNone(request.labels()).trial(),
          m.labelDim(), m.parameters(), m.kimg(), m.steps(), m.loss(), m.resumedAtKimg());
    });
  }

  @Override
  public SnapshotArtifact snapshot(TrainingRequest request, double kimg) {
    return StageRun.onDevices(Stage.TRAINING.id(), request.labels(), devices, store.ledger()).run(leased -> {
      Sources in = sources(request);
      String trial = RunLabels.orNone(request.labels()).trial();
      StageKey key = Stage.SNAPSHOT.key(JSON.createObjectNode().put("kimg", kimg),
          List.of(in.key().id()));
      long stop = Math.round(kimg * 1000);
      if (store.find(key).isEmpty() && checkpoints(request, in.key()).latest().map(c -> c.step() > stop).orElse(false)) {
        log.warn("EDM {}: trained past {} kimg before evaluation during training was on; no snapshot there", trial, kimg);
        return new SnapshotArtifact(null, false, trial, kimg, in.key().id());
      }
      ArtifactStore.Obtained obtained = store.obtain(key, dir -> produce(request, in, leased, dir, stop),
          StageRun::heartbeatWaiting);
      return new SnapshotArtifact(key.id(), obtained.reused(), trial, obtained.artifact().meta(Meta.class).kimg(),
          in.key().id());
    });
  }

  /** What a training's (or a snapshot's) manifest records, beside its weights. */
  record Meta(int labelDim, long parameters, double kimg, long steps, double loss, double resumedAtKimg) {}

  /** The training's inputs and its key, which snapshots share. */
  private record Sources(StageKey key, Artifact dataset, Artifact clustering) {}

  private Sources sources(TrainingRequest request) throws IOException {
    Artifact dataset = Stage.DATASET.require(store, request.datasetId());
    Artifact clustering = request.conditioning() == Conditioning.CLUSTERS
        ? Stage.CLUSTERING.require(store, request.clusteringId())
        : null;
    List<String> ids = new ArrayList<>(List.of(request.datasetId()));
    if (clustering != null) {
      ids.add(request.clusteringId());
    }
    return new Sources(Stage.TRAINING.key(section(request), ids), dataset, clustering);
  }

  private Checkpoints checkpoints(TrainingRequest request, StageKey key) throws IOException {
    return new Checkpoints(store.workDir(key).resolve("checkpoints"), request.training().keepCheckpoints());
  }

  private static JsonNode section(TrainingRequest r) {
    ObjectNode section = JSON.createObjectNode();
    section.put("conditioning", r.conditioning().name());
    section.put("seed", r.seed());
    // batch_gpu only schedules the work (results differ in float rounding): a run that ran out of
    // memory resumes its checkpoints with a smaller one. Older ids, from before the field, stay valid.
    ObjectNode params = JSON.valueToTree(r.training());
    params.remove("batchGpu");
    section.set("params", params);
    return section;
  }

  /** Trains (to the end, or up to {@code stopAtNimg} for a snapshot) and writes a model artifact into {@code dir}. */
  private JsonNode produce(TrainingRequest request, Sources in, List<Device> devices, Path dir, long stopAtNimg)
      throws Exception {
    Artifact dataset = in.dataset();
    Artifact clustering = in.clustering();
    Path imagesFile = dataset.file(DatasetImporter.IMAGES);
    long[] shape = Npy.readHeader(imagesFile).shape();
    if (shape.length != 4) {
      throw new BadInputException(imagesFile + ": expected images of shape (N, H, W, C), found " + shape.length + " dims");
    }
    int n = (int) shape[0];
    Labels labels = switch (request.conditioning()) {
      case UNCONDITIONAL -> Labels.NONE;
      case DATASET_LABELS -> {
        if (!dataset.has(DatasetImporter.LABELS)) {
          throw new BadInputException("the ground-truth baseline needs labels, and dataset " + request.datasetId()
              + " has none; set grid.ground_truth: false");
        }
        yield Labels.asGiven(Npy.readLongs(dataset.file(DatasetImporter.LABELS)));
      }
      case CLUSTERS -> Labels.remap(Npy.readLongs(clustering.file(ClusteringActivitiesImpl.ASSIGNMENTS)));
    };
    if (labels.ids() != null && labels.ids().length != n) {
      throw new IllegalStateException(labels.ids().length + " labels for " + n + " images in " + imagesFile);
    }
    TrainingData data = new TrainingData(Npy.readBytes(imagesFile), n, (int) shape[1], (int) shape[2], (int) shape[3],
        labels.ids(), labels.dim());
    NetworkConfig config = NetworkConfig.of(request.training(), data.height(), data.channels(), labels.dim());
    config.check();
    if (data.height() != data.width()) {
      throw new BadInputException("EDM trains on square images; dataset " + request.datasetId() + " is "
          + data.height() + "x" + data.width());
    }
    TrainingGauges metrics = new TrainingGauges(request.labels());
    Checkpoints checkpoints = checkpoints(request, in.key());
    RunLabels run = RunLabels.orNone(request.labels());
    StageProgress[] last = {StageProgress.of(Stage.TRAINING.id(), run, 0,
        Math.round(request.training().durationMimg() * 1000), "kimg")};
    TrainingOutcome outcome = new EdmTrainer(request.training(), config, request.seed(), devices).train(data,
        checkpoints, dir.resolve(EMA), new TrainingListener() {
          @Override
          public void started(TrainingProgress at) {
            metrics.started(at, System.currentTimeMillis());
          }

          @Override
          public void tick(TrainingProgress p) {
            metrics.tick(p);
            last[0] = StageProgress.of(Stage.TRAINING.id(), run, Math.round(p.kimg()), Math.round(p.totalKimg()), "kimg")
                .withDetail(String.format(Locale.ROOT, "loss %.4f, %.1f images/s, %s left, checkpoint at %.1f kimg",
                    p.loss(), p.imagesPerSecond(), TimeSpan.of(Duration.ofSeconds(Math.round(
                        (p.totalKimg() - p.kimg()) * 1000 / Math.max(p.imagesPerSecond(), 1e-9)))), p.checkpointKimg()));
            StageRun.heartbeat(last[0]);
          }

          /** Temporal throttles heartbeats; each one is also where a cancellation arrives. */
          @Override
          public void step(long nimg) {
            StageRun.heartbeat(last[0]);
          }

          @Override
          public void alive() {
            StageRun.heartbeat(last[0]);
          }
        }, stopAtNimg);
    if (outcome.resumedAtNimg() > 0) {
      metrics.resumed();
    }
    JSON.writerWithDefaultPrettyPrinter().writeValue(dir.resolve(NETWORK).toFile(), config);
    Npy.write(dir.resolve(CLASS_COUNTS), labels.counts(), labels.counts().length);
    return JSON.valueToTree(new Meta(labels.dim(), outcome.parameters(), outcome.nimg() / 1000.0, outcome.steps(),
        outcome.loss(), outcome.resumedAtNimg() / 1000.0));
  }

  /** Class ids and label width, with the training images per class. */
  record Labels(int[] ids, int dim, long[] counts) {
    static final Labels NONE = new Labels(null, 0, new long[] {});

    /** A dataset's own labels keep their ids, label_dim = max + 1, as EDM's dataset reads them. */
    static Labels asGiven(long[] raw) {
      int dim = 0;
      int[] ids = new int[raw.length];
      for (int i = 0; i < raw.length; i++) {
        if (raw[i] < 0) {
          throw new IllegalStateException("negative label " + raw[i] + " at image " + i);
        }
        ids[i] = Math.toIntExact(raw[i]);
        dim = Math.max(dim, ids[i] + 1);
      }
      long[] counts = new long[dim];
      for (int id : ids) {
        counts[id]++;
      }
      return new Labels(ids, dim, counts);
    }

    /** Cluster ids remapped to 0..(used-1) in the order of the raw ids (C-EDM's torch.unique return_inverse). */
    static Labels remap(long[] raw) {
      TreeMap<Long, Integer> index = new TreeMap<>();
      for (long r : raw) {
        index.putIfAbsent(r, 0);
      }
      int next = 0;
      for (var e : index.entrySet()) {
        e.setValue(next++);
      }
      int[] ids = new int[raw.length];
      long[] counts = new long[index.size()];
      for (int i = 0; i < raw.length; i++) {
        ids[i] = index.get(raw[i]);
        counts[ids[i]]++;
      }
      return new Labels(ids, index.size(), counts);
    }
  }
}
