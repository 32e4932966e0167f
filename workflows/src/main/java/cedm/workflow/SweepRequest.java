package cedm.workflow;

import cedm.spec.ExperimentSpec;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * A sweep to run.
 *
 * @param carry the previous run's state when the sweep continued as new, else null
 */
// Sweeps started before the history limit became the worker's setting carry it in their request.
@JsonIgnoreProperties({"historyLimit"})
public record SweepRequest(String sweepId, ExperimentSpec spec, SweepCarry carry) {
  public SweepRequest(String sweepId, ExperimentSpec spec) {
    this(sweepId, spec, null);
  }
}
