package cedm.temi;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import cedm.optim.Scalars;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * H TEMI clustering heads, stacked along a leading head axis so that all heads run as batched
 * matrix products. Each head is TEMI's DINOHead with two layers: Linear(D -> hidden) - GELU -
 * Linear(hidden -> bottleneck) - L2 normalise - weight-normed Linear(bottleneck -> C, no bias).
 *
 * <pre>
 * w1 [H, hidden, D]   b1 [H, hidden]   w2 [H, bottleneck, hidden]   b2 [H, bottleneck]
 * v  [H, C, bottleneck]   g [H, C, 1]   (last-layer weight = g * v / |v|, row-wise)
 * </pre>
 */
public final class TemiHeads {
  /** Parameter names, in a fixed order (checkpoints, optimiser state). */
  public static final List<String> NAMES = List.of("w1", "b1", "w2", "b2", "v", "g");
  /** Parameters of the weight-normed last layer, frozen during the first epochs as in TEMI. */
  public static final List<String> LAST_LAYER = List.of("v", "g");
  /** Parameters without weight decay: biases (TEMI decays every tensor of two or more dims). */
  public static final List<String> NOT_DECAYED = List.of("b1", "b2");

  private final Map<String, NDArray> parameters;

  private TemiHeads(Map<String, NDArray> parameters) {
    this.parameters = parameters;
  }

  public static TemiHeads of(Map<String, NDArray> parameters) {
    Map<String, NDArray> ordered = new LinkedHashMap<>();
    for (String name : NAMES) {
      NDArray p = parameters.get(name);
      if (p == null) {
        throw new IllegalArgumentException("missing TEMI head parameter " + name);
      }
      ordered.put(name, p);
    }
    return new TemiHeads(ordered);
  }

  /**
   * TEMI's initialisation: hidden layers truncated-normal (std 0.02, cut at +-2) with zero bias;
   * the last layer's direction v as nn.Linear's default (uniform +-1/sqrt(bottleneck)) and g = 1.
   */
  public static TemiHeads initialise(NDManager manager, int heads, int in, int hidden, int bottleneck, int clusters,
      long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    Map<String, NDArray> p = new LinkedHashMap<>();
    p.put("w1", manager.create(truncatedNormal(random, heads * hidden * in), new Shape(heads, hidden, in)));
    p.put("b1", manager.zeros(new Shape(heads, hidden)));
    p.put("w2", manager.create(truncatedNormal(random, heads * bottleneck * hidden), new Shape(heads, bottleneck, hidden)));
    p.put("b2", manager.zeros(new Shape(heads, bottleneck)));
    float[] v = new float[heads * clusters * bottleneck];
    double bound = 1 / Math.sqrt(bottleneck);
    for (int i = 0; i < v.length; i++) {
      v[i] = (float) ((random.nextDouble() * 2 - 1) * bound);
    }
    p.put("v", manager.create(v, new Shape(heads, clusters, bottleneck)));
    p.put("g", manager.ones(new Shape(heads, clusters, 1)));
    return new TemiHeads(p);
  }

  private static float[] truncatedNormal(SplittableRandom random, int count) {
    float[] out = new float[count];
    for (int i = 0; i < count; i++) {
      double x;
      do {
        x = gaussian(random) * 0.02;
      } while (x < -2 || x > 2);
      out[i] = (float) x;
    }
    return out;
  }

  static double gaussian(SplittableRandom random) {
    double u = 1.0 - random.nextDouble();
    double v = random.nextDouble();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  public NDArray get(String name) {
    return parameters.get(name);
  }

  public Map<String, NDArray> parameters() {
    return parameters;
  }

  public int heads() {
    return (int) parameters.get("g").getShape().get(0);
  }

  public int clusters() {
    return (int) parameters.get("g").getShape().get(1);
  }

  /** Logits of every head: x [B, D] -> [H, B, C]. */
  public NDArray logits(NDArray x) {
    NDArray w1 = parameters.get("w1");
    NDArray h = x.matMul(w1.transpose(0, 2, 1)).add(parameters.get("b1").expandDims(1));
    h = Activation.gelu(h);
    NDArray z = h.matMul(parameters.get("w2").transpose(0, 2, 1)).add(parameters.get("b2").expandDims(1));
    z = z.div(Scalars.maximum(z.norm(new int[] {2}, true), 1e-12f));
    NDArray v = parameters.get("v");
    NDArray weight = v.mul(parameters.get("g")).div(v.norm(new int[] {2}, true));
    return z.matMul(weight.transpose(0, 2, 1));
  }

  /** A detached copy on {@code manager} (the teacher starts as the student). */
  public TemiHeads copy(NDManager manager) {
    Map<String, NDArray> p = new LinkedHashMap<>();
    parameters.forEach((name, value) -> {
      NDArray c = value.duplicate();
      c.attach(manager);
      p.put(name, c);
    });
    return new TemiHeads(p);
  }

  /** this = m * this + (1 - m) * student, parameter by parameter (the teacher's EMA). */
  public void emaFrom(TemiHeads student, double momentum) {
    parameters.forEach((name, mine) -> mine.muli(momentum).addi(student.get(name).mul(1 - momentum)));
  }

  /**
   * Fills the accumulated gradients with zeros, ready for the next backward pass. Only these
   * parameters are touched (DJL's collector-wide zeroing walks every array of the engine), and a
   * fill also clears an inf. Call it with gradient recording off.
   */
  public void zeroGradients() {
    for (NDArray p : parameters.values()) {
      if (p.hasGradient()) {
        try (NDArray grad = p.getGradient()) {
          grad.set(new ai.djl.ndarray.index.NDIndex("..."), 0f);
        }
      }
    }
  }

  public void requireGradients() {
    parameters.values().forEach(p -> p.setRequiresGradient(true));
  }
}
