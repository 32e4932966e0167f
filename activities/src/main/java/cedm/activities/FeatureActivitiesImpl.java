package cedm.activities;

import ai.djl.Device;
import cedm.features.FeatureExtraction;
import cedm.features.FeatureExtractor;
import cedm.spec.FeaturesSpec;
import cedm.stage.FeatureActivities;
import cedm.stage.FeaturesArtifact;
import cedm.stage.FeaturesRequest;
import cedm.store.Artifact;
import cedm.store.ArtifactStore;
import cedm.store.StageKey;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/** Extracts features on this worker's device, chunk by chunk, resuming after a restart. */
public final class FeatureActivitiesImpl implements FeatureActivities {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final ArtifactStore store;
  private final DevicePool.Claim slot;
  private final Device device;

  /** Runs its stages on {@code slot}'s device, one at a time. */
  public FeatureActivitiesImpl(ArtifactStore store, DevicePool.Claim slot) {
    this.store = store;
    this.slot = slot;
    this.device = slot.device();
  }

  @Override
  public FeaturesArtifact extractFeatures(FeaturesRequest request) {
    return StageRun.onDevices(Stage.FEATURES.id(), request.labels(), slot, store.ledger()).run(() -> {
      Artifact dataset = Stage.DATASET.require(store, request.datasetId());
      StageKey key = Stage.FEATURES.key(section(request), List.of(request.datasetId()));
      ArtifactStore.Obtained obtained = store.obtain(key, dir -> {
        try (FeatureExtractor extractor = FeatureExtractor.open(request.features(), request.seed(), device)) {
          FeatureExtraction extraction = new FeatureExtraction(request.features(), extractor, store.workDir(key),
              StageRun::heartbeat);
          return JSON.valueToTree(extraction.run(dataset.dir(), dir));
        }
      }, StageRun::heartbeatWaiting);
      FeatureExtraction.Result m = obtained.artifact().meta(FeatureExtraction.Result.class);
      return new FeaturesArtifact(key.id(), obtained.reused(), m.count(), m.dim(), m.testCount(), m.extractor(),
          obtained.reused() ? 0 : m.chunksReused());
    });
  }

  /**
   * What determines the features: the network (the model file's content, or the builtin's seed
   * and width) and the preprocessing. Batch and chunk sizes only schedule the work.
   */
  private static JsonNode section(FeaturesRequest request) throws java.io.IOException {
    FeaturesSpec f = request.features();
    ObjectNode section = JSON.createObjectNode();
    section.put("extractor", f.extractor().name());
    if (f.extractor() == FeaturesSpec.Extractor.TORCHSCRIPT) {
      section.put("model_sha256", UserFiles.digest("features.model", f.model(),
          "a TorchScript feature network, e.g. DINO ViT-B/16 exported as in the README"));
    } else {
      section.put("seed", request.seed());
      section.put("dim", f.dim());
    }
    section.put("image_size", f.imageSize());
    section.set("mean", JSON.valueToTree(f.mean()));
    section.set("std", JSON.valueToTree(f.std()));
    return section;
  }
}
