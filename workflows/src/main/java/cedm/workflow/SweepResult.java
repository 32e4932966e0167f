package cedm.workflow;

import cedm.activity.DatasetArtifact;
import java.util.List;

/** A finished sweep: every stage's report and the artifacts later tools read. */
public record SweepResult(String sweepId, List<StageReport> stages, DatasetArtifact dataset) {}
