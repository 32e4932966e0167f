package cedm.edm;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import cedm.io.BadInputException;
import cedm.io.Safetensors;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * The values of a {@link ParameterLayout}: float32 arrays by state_dict name, owned by one
 * manager. Reads and writes safetensors files with the reference's names, so weights move both
 * ways between cedm and NVlabs/edm ({@code EDMPrecond.load_state_dict(safetensors.torch.load_file(f))}).
 */
public final class NetworkParameters implements Function<String, NDArray> {
  private final ParameterLayout layout;
  private final Map<String, NDArray> values;

  private NetworkParameters(ParameterLayout layout, Map<String, NDArray> values) {
    this.layout = layout;
    this.values = values;
  }

  /** EDM's initialisation; each tensor draws from its own stream seeded by (seed, name). */
  public static NetworkParameters initialise(ParameterLayout layout, NDManager manager, long seed) {
    Map<String, NDArray> values = new LinkedHashMap<>();
    for (ParameterLayout.Entry e : layout.entries()) {
      NDArray a = switch (e.init()) {
        case ZEROS -> manager.zeros(e.shape());
        case ONES -> manager.ones(e.shape());
        case XAVIER_UNIFORM -> {
          SplittableRandom random = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + e.name().hashCode());
          double bound = Math.sqrt(6 / (e.fanIn() + e.fanOut())) * e.gain();
          float[] v = new float[Math.toIntExact(e.size())];
          for (int i = 0; i < v.length; i++) {
            v[i] = (float) (bound * (random.nextDouble() * 2 - 1));
          }
          yield manager.create(v, e.shape());
        }
      };
      values.put(e.name(), a);
    }
    return new NetworkParameters(layout, values);
  }

  /** A copy in {@code manager} (EMA from the network at the start of training). */
  public NetworkParameters copy(NDManager manager) {
    Map<String, NDArray> out = new LinkedHashMap<>();
    values.forEach((k, v) -> out.put(k, moveCopy(v, manager)));
    return new NetworkParameters(layout, out);
  }

  /**
   * A copy of {@code a}, with storage of its own, owned by {@code target} (on its device). DJL puts
   * an array copied to another device in a new sub-manager of the source's manager; that manager is
   * closed here, so per-step copies between devices leave nothing behind.
   */
  public static NDArray moveCopy(NDArray a, NDManager target) {
    // Detached first: a copy of a parameter that records gradients would be a node of its graph,
    // and a replica's backward would then write into the original's gradient from another thread.
    try (NDArray detached = a.stopGradient()) {
      // On the same device DJL's toDevice(device, true) hands back a new handle on the same storage.
      NDArray moved = a.getDevice().equals(target.getDevice()) ? detached.duplicate()
          : detached.toDevice(target.getDevice(), true);
      NDManager made = moved.getManager();
      moved.attach(target);
      if (made != target && made != a.getManager()) {
        made.close();
      }
      return moved;
    }
  }

  @Override
  public NDArray apply(String name) {
    NDArray a = values.get(name);
    if (a == null) {
      throw new IllegalArgumentException("no parameter " + name);
    }
    return a;
  }

  public Map<String, NDArray> values() {
    return values;
  }

  public ParameterLayout layout() {
    return layout;
  }

  public void requireGradients() {
    values.values().forEach(a -> a.setRequiresGradient(true));
  }

  /** Writes parameters and buffers as safetensors (float32, reference names). */
  public void save(Path file) throws IOException {
    NDManager manager = values.values().iterator().next().getManager();
    try (NDManager tmp = manager.newSubManager()) {
      Map<String, NDArray> all = new LinkedHashMap<>(values);
      for (ParameterLayout.Buffer b : layout.buffers()) {
        all.put(b.name(), tmp.create(b.values(), b.shape()));
      }
      Safetensors.write(file, all);
    }
  }

  /**
   * Reads a safetensors file written by cedm or exported from NVlabs/edm: every parameter of the
   * layout must be present with its shape; buffers are accepted and ignored; anything else is an
   * error that names the file and the tensor.
   */
  public static NetworkParameters load(ParameterLayout layout, NDManager manager, Path file) throws IOException {
    return of(layout, Safetensors.read(manager, file), file.toString());
  }

  /**
   * The layout's parameters from tensors by reference name (taken over, closed on error); {@code
   * source} names them in errors.
   */
  static NetworkParameters of(ParameterLayout layout, Map<String, NDArray> tensors, String source)
      throws BadInputException {
    Map<String, NDArray> byName = new LinkedHashMap<>(tensors);
    Map<String, NDArray> all = new LinkedHashMap<>(byName);
    Map<String, NDArray> values = new LinkedHashMap<>();
    List<String> problems = new ArrayList<>();
    for (ParameterLayout.Entry e : layout.entries()) {
      NDArray a = byName.remove(e.name());
      if (a == null) {
        problems.add("missing " + e.name() + " " + e.shape());
      } else if (!a.getShape().equals(e.shape())) {
        problems.add(e.name() + " has shape " + a.getShape() + ", expected " + e.shape());
      } else {
        values.put(e.name(), a.getDataType() == DataType.FLOAT32 ? a : a.toType(DataType.FLOAT32, false));
      }
    }
    layout.buffers().forEach(b -> byName.remove(b.name()));
    if (!byName.isEmpty()) {
      problems.add("unexpected " + new TreeSet<>(byName.keySet()));
    }
    if (!problems.isEmpty()) {
      all.values().forEach(NDArray::close);
      throw new BadInputException(source + ": does not fit this network: " + String.join("; ", problems.subList(0,
          Math.min(5, problems.size()))) + (problems.size() > 5 ? "; and " + (problems.size() - 5) + " more" : ""));
    }
    return new NetworkParameters(layout, values);
  }
}
