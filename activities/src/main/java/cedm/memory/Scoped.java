package cedm.memory;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import java.util.function.Supplier;

/** Computations whose intermediates are freed at once, not when their manager closes. */
public final class Scoped {
  private Scoped() {}

  /** The result of {@code compute}, attached to its manager; every other array it made is closed. */
  public static NDArray kept(Supplier<NDArray> compute) {
    try (NDScope scope = new NDScope()) {
      scope.suppressNotUsedWarning();
      NDArray result = compute.get();
      NDScope.unregister(result);
      return result;
    }
  }
}
