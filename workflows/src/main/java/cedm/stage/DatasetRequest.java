package cedm.stage;

import cedm.spec.DatasetSpec;

/** What to import; the seed drives the procedural shapes dataset. */
public record DatasetRequest(DatasetSpec dataset, long seed, RunLabels labels) {}
