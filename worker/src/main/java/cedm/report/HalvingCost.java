package cedm.report;

import cedm.workflow.GridPoint;
import cedm.workflow.SweepStatus;
import cedm.workflow.TrialResult;
import cedm.workflow.TrialState;
import java.util.List;
import java.util.Locale;

/**
 * What successive halving spent against what the full grid would have cost. A stopped point
 * would have cost what a clustering point that ran to the end cost (the same training length and
 * evaluations; C barely changes a step's cost), so the full grid is estimated as the device time
 * spent plus, for each stopped point, the mean of the finished points' time minus its own. The
 * finished points' time includes their rung evaluations, which a full grid would not run: at the
 * paper's scale minutes against days of training.
 *
 * @param unit "GPU-hours", or "CPU-slot hours" for a sweep whose GPUs were CPU slots
 * @param spentHours device-hours of the whole sweep, from the ledger
 * @param fullGridHours the estimate for the full grid
 * @param finished clustering points that ran to the end, whose mean the estimate uses
 * @param stopped clustering points stopped at a rung
 */
public record HalvingCost(String unit, double spentHours, double fullGridHours, int finished, int stopped) {

  /**
   * The estimate, or null without a rung decision, while a point still trains or waits, or
   * without a finished clustering point to extrapolate from.
   */
  public static HalvingCost of(SweepStatus status, DeviceTime time) {
    if (status.rungs().isEmpty() || status.trials().stream().anyMatch(t -> !t.state().ended())) {
      return null;
    }
    List<TrialResult> finished = status.trials().stream()
        .filter(t -> t.point().kind() == GridPoint.Kind.CLUSTERS && t.state() == TrialState.DONE).toList();
    List<TrialResult> stopped = status.trials().stream().filter(t -> t.state() == TrialState.STOPPED).toList();
    if (finished.isEmpty()) {
      return null;
    }
    boolean gpu = time.total().gpu() > 0;
    double perFinished = finished.stream().mapToDouble(t -> hours(time, t, gpu)).average().orElseThrow();
    double spent = gpu ? time.total().gpu() : time.total().cpuSlots();
    double remaining = stopped.stream().mapToDouble(t -> Math.max(0, perFinished - hours(time, t, gpu))).sum();
    return new HalvingCost(gpu ? "GPU-hours" : "CPU-slot hours", spent, spent + remaining, finished.size(),
        stopped.size());
  }

  private static double hours(DeviceTime time, TrialResult trial, boolean gpu) {
    DeviceTime.Hours h = time.byPoint().get(trial.point().id());
    return h == null ? 0 : gpu ? h.gpu() : h.cpuSlots();
  }

  /** One line, for `cedm status` and the report. */
  public String describe() {
    return String.format(Locale.ROOT, "successive halving spent %.4f %s; the full grid would have cost about %.4f "
        + "(%d stopped point(s), each estimated at the mean of the %d clustering point(s) that ran to the end, "
        + "rung evaluations included): %.0f%% saved", spentHours, unit, fullGridHours, stopped, finished,
        100 * savedFraction());
  }

  public double savedFraction() {
    return fullGridHours <= 0 ? 0 : 1 - spentHours / fullGridHours;
  }
}
