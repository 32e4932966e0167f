package cedm.eval;

import ai.djl.Device;
import cedm.features.BuiltinExtractor;
import cedm.features.FeatureExtractor;
import cedm.features.Preprocess;
import cedm.features.TorchScriptExtractor;
import cedm.spec.EvaluationSpec;
import cedm.spec.EvaluationSpec.Encoder;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * A feature network (encoder) for the evaluation metrics, from uint8 images: NVIDIA's Inception-v3 (2048-d pool
 * features, fed uint8-valued pixels at their own size), DINOv2 ViT-L/14 (224 px bicubic, ImageNet
 * normalisation), or a weight-free builtin network whose figures are proxies. Images go through
 * the network {@code batch} at a time, resized per batch, so its memory depends on the batch alone,
 * never on how many images one call asks for.
 */
public final class EvalNetwork implements AutoCloseable {
  private static final List<Double> IMAGENET_MEAN = List.of(0.485, 0.456, 0.406);
  private static final List<Double> IMAGENET_STD = List.of(0.229, 0.224, 0.225);
  private static final int BUILTIN_DIM = 256;
  private static final int BUILTIN_SIZE = 64;

  private final String id;
  private final FeatureExtractor extractor;
  private final int size;
  private final boolean proxy;
  private final int batch;
  private Preprocess preprocess;

  private EvalNetwork(String id, FeatureExtractor extractor, int size, boolean proxy, int batch) {
    if (batch < 1) {
      throw new IllegalArgumentException("an encoder batch holds at least one image, got " + batch);
    }
    this.id = id;
    this.extractor = extractor;
    this.size = size;
    this.proxy = proxy;
    this.batch = batch;
  }

  /**
   * The encoder's exported TorchScript file. Inception: NVIDIA's inception-2015-12-05, [N, 3, H, W]
   * pixel values 0..255 -> [N, 2048], resized by the network itself. DINOv2 ViT-L/14: [N, 3, 224,
   * 224] normalised -> [N, 1024].
   */
  public static EvalNetwork pretrained(Encoder encoder, Path file, Device device, int batch) throws IOException {
    return of(encoder, new TorchScriptExtractor(file, device), batch);
  }

  /** The network that embeds images for {@code encoder}, as {@code spec} chooses it, in batches of its encoder_batch. */
  public static EvalNetwork forSpec(EvaluationSpec spec, Encoder encoder, Device device) throws IOException {
    if (spec.featureNetwork() == EvaluationSpec.FeatureNetwork.BUILTIN) {
      return builtin(encoder.id(), device, spec.encoderBatch());
    }
    return pretrained(encoder, Path.of(spec.modelFile(encoder)), device, spec.encoderBatch());
  }

  /** {@code extractor} fed as {@code encoder}'s network is: its input size and preprocessing. */
  public static EvalNetwork of(Encoder encoder, FeatureExtractor extractor, int batch) {
    int size = switch (encoder) {
      case INCEPTION -> 0;
      case DINOV2 -> 224;
    };
    return new EvalNetwork(encoder.id(), extractor, size, false, batch);
  }

  /** The weight-free stand-in for one encoder; its name picks the seed, so Inception's and DINOv2's proxies differ. */
  public static EvalNetwork builtin(String encoder, Device device, int batch) {
    return new EvalNetwork("builtin-" + encoder, new BuiltinExtractor(encoder.hashCode(), BUILTIN_DIM, device),
        BUILTIN_SIZE, true, batch);
  }

  public String id() {
    return id;
  }

  public boolean proxy() {
    return proxy;
  }

  public String describe() {
    return extractor.describe() + (proxy ? " (proxy: not comparable with published figures)" : "");
  }

  /** Features of {@code n} uint8 HWC images, row-major [n, dim], computed {@code batch} images at a time. */
  public float[] features(byte[] images, int n, int height, int width) throws Exception {
    int imageBytes = height * width * 3;
    float[] out = null;
    for (int from = 0; from < n; from += batch) {
      int count = Math.min(batch, n - from);
      byte[] part = Arrays.copyOfRange(images, from * imageBytes, (from + count) * imageBytes);
      float[] f = batchFeatures(part, count, height, width);
      int dim = f.length / count;
      if (out == null) {
        out = new float[Math.multiplyExact(n, dim)];
      }
      System.arraycopy(f, 0, out, from * dim, f.length);
    }
    return out;
  }

  private float[] batchFeatures(byte[] images, int n, int height, int width) throws Exception {
    if (size == 0) {
      return extractor.extract(pixels(images, n, height, width), n, height, width);
    }
    if (preprocess == null || preprocess.inWidth() != width || preprocess.inHeight() != height) {
      preprocess = new Preprocess(width, height, size, IMAGENET_MEAN, IMAGENET_STD);
    }
    return extractor.extract(preprocess.apply(images, n), n, preprocess.outHeight(), preprocess.outWidth());
  }

  /** uint8 HWC -> float NCHW holding the exact pixel values, which the Inception export casts back to uint8. */
  private static float[] pixels(byte[] images, int n, int height, int width) {
    int plane = height * width;
    float[] out = new float[n * 3 * plane];
    for (int i = 0; i < n; i++) {
      for (int p = 0; p < plane; p++) {
        for (int c = 0; c < 3; c++) {
          out[(i * 3 + c) * plane + p] = images[(i * plane + p) * 3 + c] & 0xFF;
        }
      }
    }
    return out;
  }

  @Override
  public void close() {
    extractor.close();
  }
}
