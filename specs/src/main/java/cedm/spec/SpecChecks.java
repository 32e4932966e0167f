package cedm.spec;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Rules that span fields or touch the file system. They read the defaulted document and skip any
 * value of the wrong type (the schema already reports it), so they run even on an invalid spec and
 * every problem is reported in one go.
 */
final class SpecChecks {
  private final JsonNode doc;
  private final List<SpecFinding> findings = new ArrayList<>();

  private SpecChecks(JsonNode doc) {
    this.doc = doc;
  }

  static List<SpecFinding> check(JsonNode document) {
    SpecChecks checks = new SpecChecks(document);
    checks.dataset();
    checks.features();
    checks.clustering();
    checks.search();
    checks.training();
    checks.schedule();
    checks.evaluation();
    return checks.findings;
  }

  private void dataset() {
    SpecValue.byId(DatasetSpec.Kind.class, doc.at("/dataset/kind").asText("")).ifPresent(kind -> kind.path().ifPresent(
        allowed -> existing("/dataset/path", "kind " + kind.id() + " reads its images from it", allowed)));
  }

  private void features() {
    if (is("/features/extractor", FeaturesSpec.Extractor.TORCHSCRIPT)) {
      existing("/features/model", "extractor torchscript needs the exported model",
          "a TorchScript file (see README: exporting DINO ViT-B/16), or extractor: builtin");
    }
  }

  private void clustering() {
    JsonNode warmup = doc.at("/clustering/temi/warmup_epochs");
    JsonNode epochs = doc.at("/clustering/temi/epochs");
    if (warmup.isInt() && epochs.isInt() && warmup.asInt() > epochs.asInt()) {
      add("/clustering/temi/warmup_epochs", "is " + warmup + ", longer than the " + epochs + " epochs of training",
          "integer >= 0 and <= clustering.temi.epochs");
    }
    JsonNode neighbours = doc.at("/clustering/temi/neighbours");
    JsonNode knn = doc.at("/features/knn");
    if (methodsUsed().contains(ClusteringMethod.TEMI) && neighbours.isInt() && knn.isInt() && neighbours.asInt() > knn.asInt()) {
      add("/clustering/temi/neighbours", "is " + neighbours + ", more than the " + knn + " neighbours mined",
          "integer >= 1 and <= features.knn");
    }
  }

  /** The methods that run: the C_max search's, when it is on, and the grid's; the others' sections are unused. */
  private Set<ClusteringMethod> methodsUsed() {
    Set<ClusteringMethod> used = EnumSet.noneOf(ClusteringMethod.class);
    if (doc.at("/search/enabled").asBoolean(true)) {
      SpecValue.byId(ClusteringMethod.class, doc.at("/clustering/method").asText()).ifPresent(used::add);
    }
    doc.at("/grid/methods").forEach(m -> SpecValue.byId(ClusteringMethod.class, m.asText()).ifPresent(used::add));
    return used;
  }

  /** Whether the field holds {@code value}. */
  private boolean is(String pointer, SpecValue value) {
    return doc.at(pointer).asText().equals(value.id());
  }

  /** The metrics the spec names (unknown ones are the schema's to report). */
  private Set<EvaluationSpec.Metric> metrics() {
    Set<EvaluationSpec.Metric> named = EnumSet.noneOf(EvaluationSpec.Metric.class);
    doc.at("/evaluation/metrics").forEach(m -> SpecValue.byId(EvaluationSpec.Metric.class, m.asText()).ifPresent(named::add));
    return named;
  }

  private void search() {
    JsonNode start = doc.at("/search/start");
    JsonNode maxC = doc.at("/search/max_c");
    boolean enabled = doc.at("/search/enabled").asBoolean(true);
    if (enabled && start.isInt() && maxC.isInt() && start.asInt() >= maxC.asInt()) {
      add("/search/start", "is " + start + ", not below search.max_c " + maxC, "integer >= 1 and < search.max_c");
    }
    if (!enabled && doc.at("/grid/points").isNull()) {
      add("/grid/points", "needed when search.enabled is false (no C_max to derive a grid from)",
          "a list of integers >= 2, or search.enabled: true");
    }
  }

  private void training() {
    JsonNode checkpoint = doc.at("/training/checkpoint_kimg");
    JsonNode duration = doc.at("/training/duration_mimg");
    if (checkpoint.isNumber() && duration.isNumber() && checkpoint.asDouble() > duration.asDouble() * 1000) {
      add("/training/checkpoint_kimg", "is " + checkpoint + " kimg, longer than the whole run ("
          + duration.asDouble() * 1000 + " kimg)", "number > 0 and <= training.duration_mimg * 1000");
    }
    JsonNode every = doc.at("/evaluation/during_training/every_mimg");
    if (every.isNumber() && duration.isNumber() && every.asDouble() >= duration.asDouble()) {
      add("/evaluation/during_training/every_mimg", "is " + every + " Mimg, not below the whole run ("
          + duration + " Mimg): no snapshot would be taken", "number > 0 and < training.duration_mimg, or null");
    }
    JsonNode batch = doc.at("/training/batch_size");
    JsonNode devices = doc.at("/runtime/gpus_per_trial");
    if (!batch.isInt() || !devices.isInt() || devices.asInt() < 1) {
      return;
    }
    if (batch.asInt() % devices.asInt() != 0) {
      add("/training/batch_size", "is " + batch + ", which does not split evenly over runtime.gpus_per_trial "
          + devices + " devices", "a multiple of runtime.gpus_per_trial");
      return;
    }
    int perDevice = batch.asInt() / devices.asInt();
    JsonNode batchGpu = doc.at("/training/batch_gpu");
    // A batch_gpu above the per-device share means one round, as EDM clamps it.
    if (batchGpu.isInt() && batchGpu.asInt() >= 1 && batchGpu.asInt() < perDevice && perDevice % batchGpu.asInt() != 0) {
      add("/training/batch_gpu", "is " + batchGpu + ": the " + perDevice + " images per device (batch_size " + batch
          + " over " + devices + " device(s)) are not a whole number of rounds of " + batchGpu,
          "a divisor of " + perDevice + " (" + divisors(perDevice) + "), or null for one round");
    }
  }

  private void schedule() {
    if (!is("/grid/schedule", GridSpec.Schedule.SUCCESSIVE_HALVING)) {
      return;
    }
    String base = "/grid/successive_halving";
    JsonNode rungs = doc.at(base + "/rungs_mimg");
    JsonNode duration = doc.at("/training/duration_mimg");
    String allowed = "ascending numbers > 0 and < training.duration_mimg (" + duration + "), in Mimg";
    if (rungs.isNull() || rungs.isMissingNode()) {
      add(base + "/rungs_mimg", "needed when grid.schedule is successive_halving", allowed);
    } else if (rungs.isArray() && duration.isNumber()) {
      double previous = 0;
      for (int i = 0; i < rungs.size(); i++) {
        double r = rungs.get(i).asDouble();
        if (r <= previous || r >= duration.asDouble()) {
          add(base + "/rungs_mimg/" + i, "is " + rungs.get(i) + (r <= previous ? ", not after the rung before it"
              : ", not below the whole run"), allowed);
          return;
        }
        previous = r;
      }
    }
    if (!metrics().contains(EvaluationSpec.Metric.FID)) {
      add("/evaluation/metrics", "has no fid: successive halving compares the points by their FID at each rung",
          "a list containing fid, or grid.schedule: full");
    }
    JsonNode sets = doc.at(base + "/sets");
    JsonNode sigmas = doc.at(base + "/noise_sigmas");
    if (sets.isInt() && sets.asInt() < 2 && sigmas.isNumber() && sigmas.asDouble() > 0) {
      add(base + "/sets", "is " + sets + ": one set has no spread, so the noise guard (noise_sigmas " + sigmas
          + ") cannot measure the noise", "integer >= 2, or noise_sigmas: 0");
    }
  }

  /** Up to eight divisors of n, largest first: the batch_gpu values that would be accepted. */
  private static String divisors(int n) {
    List<String> found = new ArrayList<>();
    for (int d = n; d >= 1 && found.size() < 8; d--) {
      if (n % d == 0) {
        found.add(Integer.toString(d));
      }
    }
    return String.join(", ", found);
  }

  private void evaluation() {
    JsonNode min = doc.at("/evaluation/sigma_min");
    JsonNode max = doc.at("/evaluation/sigma_max");
    if (min.isNumber() && max.isNumber() && min.asDouble() >= max.asDouble()) {
      add("/evaluation/sigma_min", "is " + min + ", not below sigma_max " + max, "number > 0 and < evaluation.sigma_max");
    }
    if (is("/evaluation/feature_network", EvaluationSpec.FeatureNetwork.PRETRAINED)) {
      for (EvaluationSpec.Metric metric : metrics()) {
        EvaluationSpec.Encoder encoder = metric.encoder();
        if (findings.stream().noneMatch(f -> f.pointer().equals(pointer(encoder)))) {
          existing(pointer(encoder), "metric " + metric.id() + " needs " + encoder.displayName(),
              "a TorchScript " + encoder.displayName() + " file (see README), or feature_network: builtin");
        }
      }
    }
    prdcSamples();
    JsonNode reference = doc.at("/evaluation/fid_reference");
    if (reference.isTextual() && !Files.isRegularFile(Path.of(reference.asText()))) {
      add("/evaluation/fid_reference", "file not found: " + reference.asText(),
          "an EDM-format .npz with keys mu and sigma, or null");
    }
  }

  /** Each evaluation prdc scores must hold more than nearest_k + 1 samples, as the reference's argpartition needs. */
  private void prdcSamples() {
    int k = doc.at("/evaluation/nearest_k").asInt(3);
    if (!metrics().contains(EvaluationSpec.Metric.PRDC)) {
      return;
    }
    for (String pointer : List.of("/evaluation/samples_per_set", "/evaluation/prdc_samples",
        "/evaluation/during_training/samples", "/grid/successive_halving/samples")) {
      JsonNode n = doc.at(pointer);
      if (n.isInt() && n.asInt() < k + 2) {
        add(pointer, "is " + n.asInt() + ", too few for prdc with nearest_k " + k,
            "at least nearest_k + 2 = " + (k + 2) + " with metric prdc");
      }
    }
  }

  private static String pointer(EvaluationSpec.Encoder encoder) {
    return "/" + encoder.modelField().replace('.', '/');
  }

  /** The path field must be given and exist (paths are already resolved against the spec). */
  private void existing(String pointer, String why, String allowed) {
    JsonNode path = doc.at(pointer);
    if (path.isMissingNode() || path.isNull()) {
      add(pointer, "missing: " + why, allowed);
    } else if (path.isTextual() && !Files.exists(Path.of(path.asText()))) {
      add(pointer, "file not found: " + path.asText(), allowed);
    }
  }

  private void add(String pointer, String message, String allowed) {
    findings.add(SpecFinding.at(pointer, message, allowed));
  }
}
