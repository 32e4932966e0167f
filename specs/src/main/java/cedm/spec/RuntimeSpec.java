package cedm.spec;

/**
 * Where and how widely the sweep runs; {@code gpusPerTrial} devices train one grid point together.
 *
 * @param maxAttempts attempts of a stage before it fails with its cause (failures that cannot heal fail at once)
 */
public record RuntimeSpec(String cpuQueue, String gpuQueue, int parallelTrials, int gpusPerTrial,
    int heartbeatTimeoutS, int maxAttempts) {}
