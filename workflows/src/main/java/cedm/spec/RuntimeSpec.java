package cedm.spec;

/** Where and how widely the sweep runs; {@code gpusPerTrial} devices train one grid point together. */
public record RuntimeSpec(String cpuQueue, String gpuQueue, int parallelTrials, int gpusPerTrial,
    int heartbeatTimeoutS) {}
