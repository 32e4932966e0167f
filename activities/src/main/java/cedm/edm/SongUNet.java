package cedm.edm;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import cedm.optim.Scalars;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.function.Function;

/**
 * DDPM++ as edm:training/networks.py SongUNet builds it (positional noise embedding, 'standard'
 * encoder and decoder, resample filter [1,1], resample_proj, no adaptive scale). Parameters are
 * named as in the reference's EDMPrecond state_dict ({@code model.enc.32x32_block0.conv0.weight}).
 */
public final class SongUNet {
  static final String PREFIX = "model.";
  static final double SKIP_SCALE = Math.sqrt(0.5);
  private static final double MAX_POSITIONS = 10000;

  /** One entry of the reference's enc/dec ModuleDicts, in order. */
  private sealed interface Module permits Conv, Block, AuxNorm, AuxConv {}

  private record Conv(String name) implements Module {}

  private record AuxNorm(String name) implements Module {}

  private record AuxConv(String name) implements Module {}

  /** {@code resolution}: of its output; {@code dropoutLayer}: its index among the dropout layers, in forward order. */
  private record Block(String name, int in, int out, int resolution, boolean up, boolean down, boolean attention,
      boolean skip, int dropoutLayer) implements Module {}

  private final NetworkConfig config;
  private final ParameterLayout layout = new ParameterLayout();
  private final List<Module> encoder = new ArrayList<>();
  private final List<Module> decoder = new ArrayList<>();
  private final List<Shape> dropoutLayers = new ArrayList<>();

  public SongUNet(NetworkConfig config) {
    this.config = config;
    int noise = config.modelChannels();
    int emb = config.embChannels();
    if (config.labelDim() > 0) {
      linear("map_label", config.labelDim(), noise, true);
    }
    if (config.augmentDim() > 0) {
      linear("map_augment", config.augmentDim(), noise, false);
    }
    linear("map_layer0", noise, emb, true);
    linear("map_layer1", emb, emb, true);

    List<Integer> mult = config.channelMult();
    int cout = config.channels();
    List<Integer> skips = new ArrayList<>();
    for (int level = 0; level < mult.size(); level++) {
      int res = config.resolution() >> level;
      if (level == 0) {
        int cin = cout;
        cout = config.modelChannels();
        String name = "enc." + res + "x" + res + "_conv";
        conv(name, cin, cout, 3, 1, false);
        encoder.add(new Conv(name));
      } else {
        encoder.add(block("enc." + res + "x" + res + "_down", cout, cout, res, false, true, false));
      }
      skips.add(cout);
      for (int idx = 0; idx < config.numBlocks(); idx++) {
        int cin = cout;
        cout = config.modelChannels() * mult.get(level);
        encoder.add(block("enc." + res + "x" + res + "_block" + idx, cin, cout, res, false, false,
            config.attnResolutions().contains(res)));
        skips.add(cout);
      }
    }
    for (int level = mult.size() - 1; level >= 0; level--) {
      int res = config.resolution() >> level;
      String at = "dec." + res + "x" + res;
      if (level == mult.size() - 1) {
        decoder.add(block(at + "_in0", cout, cout, res, false, false, true));
        decoder.add(block(at + "_in1", cout, cout, res, false, false, false));
      } else {
        decoder.add(block(at + "_up", cout, cout, res, true, false, false));
      }
      for (int idx = 0; idx <= config.numBlocks(); idx++) {
        int cin = cout + skips.remove(skips.size() - 1);
        cout = config.modelChannels() * mult.get(level);
        boolean attention = idx == config.numBlocks() && config.attnResolutions().contains(res);
        decoder.add(block(at + "_block" + idx, cin, cout, res, false, false, attention));
      }
      if (level == 0) {
        groupNorm(at + "_aux_norm", cout);
        decoder.add(new AuxNorm(at + "_aux_norm"));
        conv(at + "_aux_conv", cout, config.channels(), 3, 1e-5, false);
        decoder.add(new AuxConv(at + "_aux_conv"));
      }
    }
  }

  public NetworkConfig config() {
    return config;
  }

  public ParameterLayout layout() {
    return layout;
  }

  /**
   * Each dropout layer's per-image shape [C, H, W], in the order a forward pass applies them: what
   * {@link ImageDraws} draws masks for.
   */
  public List<Shape> dropoutLayers() {
    return dropoutLayers;
  }

  private Block block(String name, int in, int out, int resolution, boolean up, boolean down, boolean attention) {
    boolean skip = out != in || up || down;
    groupNorm(name + ".norm0", in);
    conv(name + ".conv0", in, out, 3, 1, up || down);
    linear(name + ".affine", config.embChannels(), out, true);
    groupNorm(name + ".norm1", out);
    conv(name + ".conv1", out, out, 3, 1e-5, false);
    if (skip) {
      conv(name + ".skip", in, out, 1, 1, up || down);
    }
    if (attention) {
      groupNorm(name + ".norm2", out);
      conv(name + ".qkv", out, out * 3, 1, Math.sqrt(0.2), false);
      conv(name + ".proj", out, out, 1, 1e-5, false);
    }
    dropoutLayers.add(new Shape(out, resolution, resolution));
    return new Block(name, in, out, resolution, up, down, attention, skip, dropoutLayers.size() - 1);
  }

  private void linear(String name, int in, int out, boolean bias) {
    layout.xavier(PREFIX + name + ".weight", new Shape(out, in), in, out, 1);
    if (bias) {
      layout.constant(PREFIX + name + ".bias", new Shape(out), ParameterLayout.Init.ZEROS);
    }
  }

  private void conv(String name, int in, int out, int kernel, double gain, boolean resampled) {
    layout.xavier(PREFIX + name + ".weight", new Shape(out, in, kernel, kernel), (double) in * kernel * kernel,
        (double) out * kernel * kernel, gain);
    layout.constant(PREFIX + name + ".bias", new Shape(out), ParameterLayout.Init.ZEROS);
    if (resampled) {
      layout.buffer(PREFIX + name + ".resample_filter", new Shape(1, 1, 2, 2), new float[] {0.25f, 0.25f, 0.25f, 0.25f});
    }
  }

  private void groupNorm(String name, int channels) {
    layout.constant(PREFIX + name + ".weight", new Shape(channels), ParameterLayout.Init.ONES);
    layout.constant(PREFIX + name + ".bias", new Shape(channels), ParameterLayout.Init.ZEROS);
  }

  /**
   * F(x, c_noise, labels, augment_labels). {@code classLabels} is one-hot [B, label_dim] (null when
   * unconditional), {@code augmentLabels} [B, 9] or null; {@code dropout} the pass's masks, null
   * for none (sampling).
   */
  public NDArray forward(Function<String, NDArray> p, NDArray x, NDArray noiseLabels, NDArray classLabels,
      NDArray augmentLabels, DropoutMasks dropout) {
    NDArray emb = positionalEmbedding(noiseLabels);
    if (config.labelDim() > 0) {
      emb = emb.add(Layers.linear(Scalars.mul(classLabels, Math.sqrt(config.labelDim())), p.apply(PREFIX + "map_label.weight"),
          p.apply(PREFIX + "map_label.bias")));
    }
    if (config.augmentDim() > 0 && augmentLabels != null) {
      emb = emb.add(Layers.linear(augmentLabels, p.apply(PREFIX + "map_augment.weight"), null));
    }
    emb = Layers.silu(Layers.linear(emb, p.apply(PREFIX + "map_layer0.weight"), p.apply(PREFIX + "map_layer0.bias")));
    emb = Layers.silu(Layers.linear(emb, p.apply(PREFIX + "map_layer1.weight"), p.apply(PREFIX + "map_layer1.bias")));

    Deque<NDArray> skips = new ArrayDeque<>();
    for (Module m : encoder) {
      x = m instanceof Block b ? block(p, b, x, emb, dropout) : conv(p, ((Conv) m).name(), x);
      skips.push(x);
    }
    NDArray tmp = null;
    NDArray out = null;
    boolean owned = false;
    for (Module m : decoder) {
      if (m instanceof Block b) {
        NDArray in = x;
        if (x.getShape().get(1) != b.in()) {
          NDArray skip = skips.pop();
          in = NDArrays.concat(new NDList(x, skip), 1);
          skip.close();
          if (owned) {
            x.close();
          }
          owned = true;
        }
        x = block(p, b, in, emb, dropout);
        if (owned) {
          in.close();
        }
        owned = true;
      } else if (m instanceof AuxNorm n) {
        tmp = TorchOps.groupNormSilu(x, p.apply(PREFIX + n.name() + ".weight"), p.apply(PREFIX + n.name() + ".bias"));
        if (owned) {
          x.close();
        }
      } else {
        out = Layers.then(tmp, conv(p, ((AuxConv) m).name(), tmp));
      }
    }
    skips.forEach(NDArray::close);
    return out;
  }

  /** EDM's PositionalEmbedding(endpoint=True), with the sin and cos halves swapped as SongUNet does. */
  private NDArray positionalEmbedding(NDArray noiseLabels) {
    int half = config.modelChannels() / 2;
    float[] freqs = new float[half];
    for (int i = 0; i < half; i++) {
      float exponent = (float) i / (float) (half - 1);
      freqs[i] = (float) Math.pow(1 / MAX_POSITIONS, exponent);
    }
    NDArray f = noiseLabels.getManager().create(freqs, new Shape(1, half));
    NDArray angles = noiseLabels.reshape(-1, 1).mul(f);
    return NDArrays.concat(new NDList(angles.sin(), angles.cos()), 1);
  }

  private static NDArray conv(Function<String, NDArray> p, String name, NDArray x) {
    return Layers.conv(x, p.apply(PREFIX + name + ".weight"), p.apply(PREFIX + name + ".bias"));
  }

  private static NDArray norm(Function<String, NDArray> p, String name, NDArray x) {
    return TorchOps.groupNorm(x, p.apply(PREFIX + name + ".weight"), p.apply(PREFIX + name + ".bias"));
  }

  private static NDArray normSilu(Function<String, NDArray> p, String name, NDArray x) {
    return TorchOps.groupNormSilu(x, p.apply(PREFIX + name + ".weight"), p.apply(PREFIX + name + ".bias"));
  }

  private static NDArray resample(Block b, NDArray x) {
    return b.up() ? Layers.up(x) : b.down() ? Layers.down(x) : x;
  }

  /** One UNetBlock; {@code x} stays the caller's, every intermediate is released. */
  private NDArray block(Function<String, NDArray> p, Block b, NDArray x, NDArray emb, DropoutMasks dropout) {
    String n = b.name();
    NDArray h = normSilu(p, n + ".norm0", x);
    h = Layers.then(h, resample(b, h));
    h = Layers.then(h, conv(p, n + ".conv0", h));
    try (NDArray params = Layers.linear(emb, p.apply(PREFIX + n + ".affine.weight"), p.apply(PREFIX + n + ".affine.bias"));
        NDArray shift = params.reshape(params.getShape().get(0), b.out(), 1, 1)) {
      h = Layers.then(h, h.add(shift));
    }
    h = Layers.then(h, normSilu(p, n + ".norm1", h));
    if (dropout != null) {
      h = Layers.then(h, dropout.apply(b.dropoutLayer(), h));
    }
    h = Layers.then(h, conv(p, n + ".conv1", h));
    if (b.skip()) {
      NDArray resampled = resample(b, x);
      try (NDArray skip = conv(p, n + ".skip", resampled)) {
        h = Layers.then(h, h.add(skip));
      }
      if (resampled != x) {
        resampled.close();
      }
    } else {
      h = Layers.then(h, h.add(x));
    }
    h = Layers.then(h, Scalars.mul(h, SKIP_SCALE));
    if (b.attention()) {
      h = Layers.then(h, attention(p, n, h));
    }
    return h;
  }

  /** Single-head self-attention; the fused qkv channels are interleaved (channel c*3+j), as reshape(B,C,3,HW) reads them. */
  private static NDArray attention(Function<String, NDArray> p, String n, NDArray x) {
    Shape s = x.getShape();
    long batch = s.get(0);
    long c = s.get(1);
    long hw = s.get(2) * s.get(3);
    NDArray qkv = norm(p, n + ".norm2", x);
    qkv = Layers.then(qkv, conv(p, n + ".qkv", qkv));
    qkv = Layers.then(qkv, qkv.reshape(batch, c, 3, hw));
    NDArray a;
    try (NDArray q = qkv.get(":, :, 0, :");
        NDArray qt = q.transpose(0, 2, 1);
        NDArray kRaw = qkv.get(":, :, 1, :");
        NDArray k = Scalars.div(kRaw, Math.sqrt(c));
        NDArray v = qkv.get(":, :, 2, :")) {
      NDArray w = qt.matMul(k);
      w = Layers.then(w, w.softmax(2));
      try (NDArray wt = w.transpose(0, 2, 1)) {
        a = v.matMul(wt);
      }
      w.close();
    }
    qkv.close();
    a = Layers.then(a, a.reshape(s));
    a = Layers.then(a, conv(p, n + ".proj", a));
    a = Layers.then(a, a.add(x));
    return Layers.then(a, Scalars.mul(a, SKIP_SCALE));
  }
}
