package cedm.workflow;

import java.util.List;

/**
 * Progress of a sweep, answered by a query.
 *
 * @param note for a failed sweep, the stage it failed in; for a sweep a client could not query, why
 * @param cMax the search's result once known, else null
 * @param evidence the C_max search's probes once it finished (`cedm status` asks the running search directly)
 * @param rungs the decisions of successive halving made so far
 */
public record SweepStatus(String sweepId, SweepPhase phase, String note, List<StageReport> stages, Integer cMax, List<Probe> evidence,
    List<TrialResult> trials, List<RungDecision> rungs) {

  /** Statuses from before schedules have no rungs. */
  public SweepStatus {
    // Statuses from before the note name their failed stage only in the stage reports.
    note = note != null ? note : phase == SweepPhase.FAILED ? failedStage(stages) : "";
    rungs = rungs == null ? List.of() : List.copyOf(rungs);
  }

  public SweepStatus(String sweepId, SweepPhase phase, List<StageReport> stages, Integer cMax, List<Probe> evidence,
      List<TrialResult> trials, List<RungDecision> rungs) {
    this(sweepId, phase, null, stages, cMax, evidence, trials, rungs);
  }

  public boolean finished() {
    return phase == SweepPhase.DONE;
  }

  /** The phase as a person reads it: "grid", "failed in features", "ended without a result: ...". */
  public String describePhase() {
    return switch (phase) {
      case FAILED -> "failed in " + note;
      case UNANSWERED -> "running, but " + note;
      case ENDED -> "ended without a result: " + note;
      default -> phase.id();
    };
  }

  private static String failedStage(List<StageReport> stages) {
    return stages == null ? "" : stages.stream().filter(s -> s.state() == StageState.FAILED).map(StageReport::stage).findFirst().orElse("");
  }
}
