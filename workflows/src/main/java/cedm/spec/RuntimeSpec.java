package cedm.spec;

/** Where and how widely the sweep runs. */
public record RuntimeSpec(String cpuQueue, String gpuQueue, int parallelTrials, int heartbeatTimeoutS) {}
