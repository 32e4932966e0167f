package cedm.activities;

import cedm.data.DatasetImporter;
import cedm.data.ImageSource;
import cedm.data.ImageSources;
import cedm.stage.DatasetActivities;
import cedm.stage.DatasetArtifact;
import cedm.stage.DatasetRequest;
import cedm.stage.StageProgress;
import cedm.store.ArtifactStore;
import cedm.store.StageKey;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/** Imports the spec's dataset into the store, once per (dataset spec, source files, seed). */
public final class DatasetActivitiesImpl implements DatasetActivities {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final ArtifactStore store;

  public DatasetActivitiesImpl(ArtifactStore store) {
    this.store = store;
  }

  @Override
  public DatasetArtifact importDataset(DatasetRequest request) {
    return StageRun.of(Stage.DATASET.id(), request.labels(), store.ledger()).run(() -> {
      try (ImageSource source = ImageSources.open(request.dataset(), request.seed())) {
        ObjectNode section = JSON.valueToTree(request.dataset());
        section.put("seed", request.seed());
        section.put("source", source.fingerprint());
        StageKey key = Stage.DATASET.key(section, List.of());
        long total = (long) source.entries(ImageSource.Split.TRAIN).size() + source.entries(ImageSource.Split.TEST).size();
        ArtifactStore.Obtained obtained = store.obtain(key, dir -> {
          DatasetImporter.Summary s = DatasetImporter.write(source, dir, request.dataset().resolution(),
              request.dataset().maxImages(), done -> StageRun.heartbeat(new StageProgress(Stage.DATASET.id(), done, total, "images")));
          return JSON.valueToTree(s);
        }, StageRun::heartbeatWaiting);
        DatasetImporter.Summary m = obtained.artifact().meta(DatasetImporter.Summary.class);
        return new DatasetArtifact(key.id(), obtained.reused(), m.count(), m.height(), m.width(), m.labelled(),
            m.classes(), m.testCount(), m.contentDigest());
      }
    });
  }
}
