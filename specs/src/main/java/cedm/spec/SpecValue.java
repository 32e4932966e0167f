package cedm.spec;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** An enum value that specs, ids and reports name in lower case: {@code temi}, {@code cifar10}, {@code fid}. */
public interface SpecValue {
  String name();

  default String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The value of {@code type} named {@code id}, if there is one. */
  static <E extends Enum<E> & SpecValue> Optional<E> byId(Class<E> type, String id) {
    return Arrays.stream(type.getEnumConstants()).filter(v -> v.id().equals(id)).findFirst();
  }
}
