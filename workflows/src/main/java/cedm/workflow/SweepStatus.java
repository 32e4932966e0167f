package cedm.workflow;

import java.util.List;

/** Progress of a sweep, answered by a query. */
public record SweepStatus(String sweepId, String phase, List<StageReport> stages) {}
