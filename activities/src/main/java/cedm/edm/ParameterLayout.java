package cedm.edm;

import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Every parameter of a network, by its PyTorch state_dict name, with shape and initialiser, in
 * registration order. Also the non-trainable buffers (resampling filters) that the reference's
 * state_dict holds, so exported files load into NVlabs/edm with strict=True.
 */
public final class ParameterLayout {
  /** How a parameter starts: EDM's xavier_uniform times a gain, or constant zeros/ones. */
  public enum Init { XAVIER_UNIFORM, ZEROS, ONES }

  public record Entry(String name, Shape shape, Init init, double fanIn, double fanOut, double gain) {
    public long size() {
      return shape.size();
    }
  }

  public record Buffer(String name, Shape shape, float[] values) {}

  private final List<Entry> entries = new ArrayList<>();
  private final List<Buffer> buffers = new ArrayList<>();

  void xavier(String name, Shape shape, double fanIn, double fanOut, double gain) {
    entries.add(new Entry(name, shape, Init.XAVIER_UNIFORM, fanIn, fanOut, gain));
  }

  void constant(String name, Shape shape, Init init) {
    entries.add(new Entry(name, shape, init, 0, 0, 0));
  }

  void buffer(String name, Shape shape, float[] values) {
    buffers.add(new Buffer(name, shape, values));
  }

  public List<Entry> entries() {
    return Collections.unmodifiableList(entries);
  }

  public List<Buffer> buffers() {
    return Collections.unmodifiableList(buffers);
  }

  /** The number of trainable values, as {@code sum(p.numel() for p in net.parameters())}. */
  public long count() {
    return entries.stream().mapToLong(Entry::size).sum();
  }
}
