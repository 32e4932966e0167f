package cedm.runtime;

import com.uber.m3.tally.RootScopeBuilder;
import com.uber.m3.tally.Scope;
import com.uber.m3.util.Duration;
import io.micrometer.core.instrument.Metrics;
import io.temporal.common.reporter.MicrometerClientStatsReporter;

/**
 * The Temporal SDK's metrics (task slots, poll and schedule-to-start latencies, activity and
 * workflow failures) reported into Micrometer's global registry, which {@link MetricsEndpoint}
 * serves. One scope per process, shared by every connection.
 */
final class TemporalMetrics {
  private static final Scope SCOPE = new RootScopeBuilder()
      .reporter(new MicrometerClientStatsReporter(Metrics.globalRegistry))
      .reportEvery(Duration.ofSeconds(5));

  private TemporalMetrics() {}

  static Scope scope() {
    return SCOPE;
  }
}
