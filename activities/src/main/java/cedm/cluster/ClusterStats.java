package cedm.cluster;

/**
 * What the C_max search reads from a clustering: how many of the C clusters hold at least one
 * training image (utilisation r_C = used / C) and how far the cluster sizes are from uniform over
 * the used clusters, KL(U_used || q).
 */
public record ClusterStats(int clusters, long[] counts, int used, double utilisation, double klFromUniform) {

  public static ClusterStats of(long[] assignments, int clusters) {
    long[] counts = new long[clusters];
    for (long a : assignments) {
      counts[(int) a]++;
    }
    int used = 0;
    for (long c : counts) {
      used += c > 0 ? 1 : 0;
    }
    double kl = 0;
    double n = assignments.length;
    for (long c : counts) {
      if (c > 0) {
        double u = 1.0 / used;
        kl += u * Math.log(u / (c / n));
      }
    }
    return new ClusterStats(clusters, counts, used, (double) used / clusters, kl);
  }
}
