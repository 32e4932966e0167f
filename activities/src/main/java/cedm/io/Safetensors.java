package cedm.io;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** Named tensors in the safetensors format, through DJL's encoder. */
public final class Safetensors {
  private Safetensors() {}

  /** Writes copies of {@code tensors} under their keys; the arrays themselves are not renamed. */
  public static void write(Path file, Map<String, NDArray> tensors) throws IOException {
    NDList list = new NDList();
    try (OutputStream out = FileOutput.open(file)) {
      tensors.forEach((name, t) -> {
        NDArray copy = t.duplicate();
        copy.setName(name);
        list.add(copy);
      });
      list.encode(out, NDList.Encoding.SAFETENSORS);
    } finally {
      list.close();
    }
  }

  /** Every tensor of the file by name, in {@code manager}; a file that is not safetensors is bad input. */
  public static Map<String, NDArray> read(NDManager manager, Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      return read(manager, in, file.toString());
    }
  }

  /** As {@link #read(NDManager, Path)} from a stream (a class path resource); {@code source} names it in errors. */
  public static Map<String, NDArray> read(NDManager manager, InputStream in, String source) throws BadInputException {
    NDList list;
    try {
      list = NDList.decode(manager, in);
    } catch (RuntimeException e) {
      throw new BadInputException(source + ": not a safetensors file (" + e.getMessage() + ")");
    }
    Map<String, NDArray> out = new LinkedHashMap<>();
    for (NDArray decoded : list) {
      // DJL decodes into Java buffers that torch does not own and that live only while their
      // array is open; state that lives for a whole run (weights, Adam moments) gets torch's own.
      NDArray owned = decoded.duplicate();
      owned.setName(decoded.getName());
      decoded.close();
      out.put(owned.getName(), owned);
    }
    return out;
  }
}
