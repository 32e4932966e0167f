package cedm.data;

import java.io.Closeable;
import java.io.IOException;
import java.util.List;

/** A dataset on disk (or generated), as a list of lazily decoded images per split. */
public interface ImageSource extends Closeable {

  enum Split { TRAIN, TEST }

  /** One image: where it comes from (for error messages), its label and how to decode it. */
  interface Entry {
    String origin();

    /** Ground-truth label, or -1 when the dataset has none. */
    long label();

    RgbImage decode() throws IOException;
  }

  List<Entry> entries(Split split) throws IOException;

  boolean labelled();

  /** A cheap fingerprint of the source files (names, sizes, times): changed data, new artifact. */
  String fingerprint() throws IOException;

  @Override
  default void close() throws IOException {}
}
