package cedm.store;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;

/** Writes an artifact's files into an empty directory and returns its metadata. */
@FunctionalInterface
public interface Producer {
  JsonNode produce(Path dir) throws Exception;
}
