package cedm.report;

import cedm.store.DeviceLedger;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A sweep's device time from its ledger, per stage and per grid point: GPU-hours, and the hours
 * of CPU slots that stood in for GPUs (`--gpus cpu`), counted apart. Every attempt counts,
 * failed and repeated ones too: that is what the devices were busy with.
 */
public record DeviceTime(Map<String, Hours> byStage, Map<String, Hours> byPoint, Hours total) {
  /** Device-hours by kind, and the attempts they came from. */
  public record Hours(double gpu, double cpuSlots, int attempts) {
    Hours plus(DeviceLedger.Entry e) {
      double hours = e.deviceSeconds() / 3600;
      return "gpu".equals(e.deviceKind())
          ? new Hours(gpu + hours, cpuSlots, attempts + 1)
          : new Hours(gpu, cpuSlots + hours, attempts + 1);
    }
  }

  private static final Hours NONE = new Hours(0, 0, 0);
  /** The sweep's stages in the order they run; trial stages after the shared ones. */
  private static final List<String> ORDER = List.of("dataset", "features", "knn", "clustering", "training", "evaluation");

  public static DeviceTime of(List<DeviceLedger.Entry> entries) {
    List<DeviceLedger.Entry> sorted = entries.stream()
        .sorted(Comparator.comparingInt((DeviceLedger.Entry e) -> order(e.stage())).thenComparing(DeviceLedger.Entry::trial))
        .toList();
    Map<String, Hours> byStage = new LinkedHashMap<>();
    Map<String, Hours> byPoint = new LinkedHashMap<>();
    Hours total = NONE;
    for (DeviceLedger.Entry e : sorted) {
      byStage.put(e.stage(), byStage.getOrDefault(e.stage(), NONE).plus(e));
      if (!e.trial().isEmpty()) {
        byPoint.put(e.trial(), byPoint.getOrDefault(e.trial(), NONE).plus(e));
      }
      total = total.plus(e);
    }
    return new DeviceTime(byStage, byPoint, total);
  }

  private static int order(String stage) {
    int i = ORDER.indexOf(stage);
    return i < 0 ? ORDER.size() : i;
  }

  public boolean isEmpty() {
    return total.attempts() == 0;
  }
}
