package cedm.stage;

/** Agreement with ground-truth labels: NMI, adjusted NMI, adjusted Rand index, Hungarian accuracy. */
public record ClusterScores(double nmi, double anmi, double ari, double acc) {}
