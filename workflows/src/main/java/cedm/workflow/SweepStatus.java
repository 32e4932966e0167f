package cedm.workflow;

import java.util.List;

/**
 * Progress of a sweep, answered by a query.
 *
 * @param cMax the search's result once known, else null
 * @param evidence the C_max search's probes once it finished (`cedm status` asks the running search directly)
 * @param rungs the decisions of successive halving made so far
 */
public record SweepStatus(String sweepId, String phase, List<StageReport> stages, Integer cMax, List<Probe> evidence,
    List<TrialResult> trials, List<RungDecision> rungs) {

  /** Statuses from before schedules have no rungs. */
  public SweepStatus {
    rungs = rungs == null ? List.of() : List.copyOf(rungs);
  }
}
