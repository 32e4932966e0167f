package cedm.spec;

/** The C_max doubling search (paper Sec. 3). */
public record SearchSpec(boolean enabled, int start, double alpha, int resolution, int maxC) {}
