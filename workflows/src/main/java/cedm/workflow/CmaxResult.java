package cedm.workflow;

import java.util.List;

/** C_max and every probe that led to it, in order. */
public record CmaxResult(int cMax, List<Probe> evidence) {}
