package cedm.cluster;

import cedm.stage.ClusterScores;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.apache.commons.math3.special.Gamma;
import org.jgrapht.alg.matching.MaximumWeightBipartiteMatching;
import org.jgrapht.graph.DefaultWeightedEdge;
import org.jgrapht.graph.SimpleWeightedGraph;

/**
 * Agreement of cluster assignments with ground-truth labels, as TEMI reports it: NMI and adjusted
 * MI (arithmetic normalisation, scikit-learn's defaults), the adjusted Rand index, and accuracy
 * under the best one-to-one matching of clusters to classes, where in over-clustering the
 * clusters left without a class take their majority class.
 */
public final class ClusterScoring {
  private ClusterScoring() {}

  public static ClusterScores of(long[] labels, long[] clusters) {
    Contingency t = Contingency.of(labels, clusters);
    double mi = t.mutualInformation();
    double hLabels = entropy(t.rowSums, t.n);
    double hClusters = entropy(t.colSums, t.n);
    double mean = (hLabels + hClusters) / 2;
    boolean trivial = t.rowSums.length == 1 && t.colSums.length == 1;
    double nmi = trivial ? 1.0 : mi == 0 ? 0.0 : mi / mean;
    return new ClusterScores(nmi, adjustedMi(t, mi, mean), adjustedRand(t), Accuracy.of(labels, clusters));
  }

  /** Counts of (label, cluster) pairs over the distinct values of each. */
  static final class Contingency {
    final long[][] table;
    final long[] rowSums;
    final long[] colSums;
    final long n;

    private Contingency(long[][] table, long[] rowSums, long[] colSums, long n) {
      this.table = table;
      this.rowSums = rowSums;
      this.colSums = colSums;
      this.n = n;
    }

    static Contingency of(long[] a, long[] b) {
      Map<Long, Integer> rows = index(a);
      Map<Long, Integer> cols = index(b);
      long[][] table = new long[rows.size()][cols.size()];
      for (int i = 0; i < a.length; i++) {
        table[rows.get(a[i])][cols.get(b[i])]++;
      }
      long[] r = new long[rows.size()];
      long[] c = new long[cols.size()];
      for (int i = 0; i < r.length; i++) {
        for (int j = 0; j < c.length; j++) {
          r[i] += table[i][j];
          c[j] += table[i][j];
        }
      }
      return new Contingency(table, r, c, a.length);
    }

    private static Map<Long, Integer> index(long[] values) {
      long[] distinct = Arrays.stream(values).distinct().sorted().toArray();
      Map<Long, Integer> index = new HashMap<>();
      for (int i = 0; i < distinct.length; i++) {
        index.put(distinct[i], i);
      }
      return index;
    }

    double mutualInformation() {
      double mi = 0;
      for (int i = 0; i < rowSums.length; i++) {
        for (int j = 0; j < colSums.length; j++) {
          long nij = table[i][j];
          if (nij > 0) {
            double term = (double) nij / n * (Math.log(nij) + Math.log(n) - Math.log(rowSums[i]) - Math.log(colSums[j]));
            // scikit-learn drops terms below machine epsilon before summing.
            mi += Math.abs(term) < Math.ulp(1.0) ? 0 : term;
          }
        }
      }
      return Math.max(mi, 0);
    }
  }

  private static double entropy(long[] counts, long n) {
    double h = 0;
    for (long c : counts) {
      if (c > 0) {
        double p = (double) c / n;
        h -= p * Math.log(p);
      }
    }
    return h;
  }

  /** (MI - E[MI]) / (mean(H) - E[MI]), E[MI] under the hypergeometric model of random labelings. */
  private static double adjustedMi(Contingency t, double mi, double meanEntropy) {
    if (t.rowSums.length == 1 && t.colSums.length == 1) {
      return 1.0;
    }
    double emi = expectedMutualInformation(t.rowSums, t.colSums, t.n);
    double denominator = meanEntropy - emi;
    double tiny = Math.ulp(1.0);
    if (denominator < 0) {
      denominator = Math.min(denominator, -tiny);
    } else {
      denominator = Math.max(denominator, tiny);
    }
    return (mi - emi) / denominator;
  }

  static double expectedMutualInformation(long[] a, long[] b, long n) {
    double logN = Math.log(n);
    double lgN = Gamma.logGamma(n + 1.0);
    double emi = 0;
    for (long ai : a) {
      for (long bj : b) {
        long start = Math.max(1, ai + bj - n);
        long end = Math.min(ai, bj);
        double fixed = Gamma.logGamma(ai + 1.0) + Gamma.logGamma(bj + 1.0) + Gamma.logGamma(n - ai + 1.0)
            + Gamma.logGamma(n - bj + 1.0) - lgN;
        for (long nij = start; nij <= end; nij++) {
          double term1 = (double) nij / n;
          double term2 = Math.log(nij) + logN - Math.log(ai) - Math.log(bj);
          double gln = fixed - Gamma.logGamma(nij + 1.0) - Gamma.logGamma(ai - nij + 1.0)
              - Gamma.logGamma(bj - nij + 1.0) - Gamma.logGamma(n - ai - bj + nij + 1.0);
          emi += term1 * term2 * Math.exp(gln);
        }
      }
    }
    return emi;
  }

  /**
   * scikit-learn's form: 2 (tp tn - fn fp) / ((tp + fn)(fn + tn) + (tp + fp)(fp + tn)) in exact
   * integers, divided once (Python's int / int is correctly rounded; 40 digits round the same).
   */
  private static double adjustedRand(Contingency t) {
    BigInteger n = BigInteger.valueOf(t.n);
    BigInteger squares = BigInteger.ZERO;
    for (long[] row : t.table) {
      for (long nij : row) {
        squares = squares.add(BigInteger.valueOf(nij).pow(2));
      }
    }
    BigInteger clusterSquares = sumOfSquares(t.colSums);
    BigInteger labelSquares = sumOfSquares(t.rowSums);
    BigInteger tp = squares.subtract(n);
    BigInteger fp = clusterSquares.subtract(squares);
    BigInteger fn = labelSquares.subtract(squares);
    BigInteger tn = n.pow(2).subtract(fp).subtract(fn).subtract(squares);
    if (fn.signum() == 0 && fp.signum() == 0) {
      return 1.0;
    }
    BigInteger numerator = tp.multiply(tn).subtract(fn.multiply(fp)).shiftLeft(1);
    BigInteger denominator = tp.add(fn).multiply(fn.add(tn)).add(tp.add(fp).multiply(fp.add(tn)));
    return new java.math.BigDecimal(numerator).divide(new java.math.BigDecimal(denominator), new java.math.MathContext(40))
        .doubleValue();
  }

  private static BigInteger sumOfSquares(long[] values) {
    BigInteger sum = BigInteger.ZERO;
    for (long v : values) {
      sum = sum.add(BigInteger.valueOf(v).pow(2));
    }
    return sum;
  }

  /**
   * TEMI's cluster accuracy (after self-classifier's compute_metrics): clusters are matched one to
   * one to classes so that the matched images are most; in over-clustering every cluster left
   * without a class counts its majority class. Where TEMI's square assignment would pair a
   * leftover cluster with a class it has no image of (a tie scipy breaks arbitrarily), such a
   * cluster here counts its majority class too.
   */
  static final class Accuracy {
    private Accuracy() {}

    static double of(long[] labels, long[] clusters) {
      Contingency t = Contingency.of(clusters, labels);
      int rows = t.rowSums.length;
      int cols = t.colSums.length;
      SimpleWeightedGraph<Integer, DefaultWeightedEdge> graph = new SimpleWeightedGraph<>(DefaultWeightedEdge.class);
      Set<Integer> clusterSide = new HashSet<>();
      Set<Integer> labelSide = new HashSet<>();
      for (int i = 0; i < rows; i++) {
        graph.addVertex(i);
        clusterSide.add(i);
      }
      for (int j = 0; j < cols; j++) {
        graph.addVertex(rows + j);
        labelSide.add(rows + j);
      }
      for (int i = 0; i < rows; i++) {
        for (int j = 0; j < cols; j++) {
          if (t.table[i][j] > 0) {
            graph.setEdgeWeight(graph.addEdge(i, rows + j), t.table[i][j]);
          }
        }
      }
      boolean[] matched = new boolean[rows];
      long correct = 0;
      for (DefaultWeightedEdge e : new MaximumWeightBipartiteMatching<>(graph, clusterSide, labelSide).getMatching().getEdges()) {
        int cluster = Math.min(graph.getEdgeSource(e), graph.getEdgeTarget(e));
        matched[cluster] = true;
        correct += (long) graph.getEdgeWeight(e);
      }
      if (rows > cols) {
        for (int i = 0; i < rows; i++) {
          if (!matched[i]) {
            correct += Arrays.stream(t.table[i]).max().orElse(0);
          }
        }
      }
      return (double) correct / labels.length;
    }
  }
}
