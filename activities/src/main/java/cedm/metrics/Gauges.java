package cedm.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.Tags;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Settable gauges on Micrometer's global registry. Micrometer registers a gauge once per name
 * and labels and keeps reading the first holder, so every later value must go to that holder.
 */
public final class Gauges {
  private static final Map<List<Object>, AtomicLong> VALUES = new ConcurrentHashMap<>();

  private Gauges() {}

  public static void set(String name, String description, Tags tags, double value) {
    VALUES.computeIfAbsent(List.of(name, tags), k -> {
      AtomicLong bits = new AtomicLong(Double.doubleToRawLongBits(Double.NaN));
      Gauge.builder(name, bits, b -> Double.longBitsToDouble(b.get())).tags(tags).description(description)
          .register(Metrics.globalRegistry);
      return bits;
    }).set(Double.doubleToRawLongBits(value));
  }
}
