package cedm.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cedm.spec.ClusteringMethod;
import cedm.spec.ExperimentSpec;
import cedm.spec.SpecLoader;
import cedm.stage.ClusterScores;
import cedm.stage.ClusteringArtifact;
import cedm.stage.EvaluationArtifact;
import cedm.stage.TrainingArtifact;
import cedm.store.ArtifactStore;
import cedm.workflow.CurvePoint;
import cedm.workflow.GridPoint;
import cedm.workflow.Probe;
import cedm.workflow.StageReport;
import cedm.workflow.SweepPhase;
import cedm.workflow.SweepStatus;
import cedm.workflow.TrialResult;
import cedm.workflow.TrialState;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;

/** A report of a known sweep status: the tables carry its numbers, the figure its series, axes and legend. */
class SweepReportTest {
  @TempDir Path tmp;

  private static TrialResult clusters(ClusteringMethod method, int c, int used, List<Double> fid, List<Double> fdd) {
    GridPoint point = GridPoint.clusters(method, c);
    Map<String, List<Double>> scores = new LinkedHashMap<>();
    scores.put("fid", fid);
    scores.put("fdd", fdd);
    scores.put("precision", List.of(0.70, 0.72, 0.74));
    return new TrialResult(point, TrialState.DONE,
        new ClusteringArtifact("clu-" + point.id(), false, method, c, used, (double) used / c, 0.1, List.of(), 0, 1.0,
            new ClusterScores(0.5, 0.45, 0.3, 0.6)),
        new TrainingArtifact("edm-" + point.id(), false, point.id(), used, 1000, 1, 10, 0.5, 0),
        new EvaluationArtifact("eval-" + point.id(), false, point.id(), false, 50_000, scores), "");
  }

  private static TrialResult baseline(GridPoint.Kind kind, int classes, List<Double> fid) {
    GridPoint point = new GridPoint(kind, null, classes);
    return new TrialResult(point, TrialState.DONE, null, null,
        new EvaluationArtifact("eval-" + point.id(), false, point.id(), false, 50_000, Map.of("fid", fid)), "");
  }

  private static SweepStatus status() {
    List<Probe> probes = List.of(new Probe(50, 1.0, 50, 0.1, -1.0, "p50", false),
        new Probe(100, 0.99, 99, 0.2, -1.1, "p100", false), new Probe(200, 0.93, 186, 0.3, -1.2, "p200", false),
        new Probe(150, 0.97, 146, 0.25, -1.15, "p150", false));
    return new SweepStatus("cifar-1", SweepPhase.DONE, List.of(StageReport.pending("dataset")), 150, probes, List.of(
        baseline(GridPoint.Kind.UNCONDITIONAL, 1, List.of(2.50, 2.46, 2.52)),
        clusters(ClusteringMethod.TEMI, 100, 99, List.of(1.70, 1.74, 1.72), List.of(60.0, 61.0, 62.0)),
        clusters(ClusteringMethod.TEMI, 50, 50, List.of(1.80, 1.84, 1.83), List.of(63.0, 63.5, 64.0)),
        clusters(ClusteringMethod.KMEANS, 50, 48, List.of(1.95, 1.99, 1.97), List.of(66.0, 66.0, 66.0)),
        baseline(GridPoint.Kind.GROUND_TRUTH, 10, List.of(1.79, 1.81, 1.80))), List.of());
  }

  private static ExperimentSpec spec() throws Exception {
    return SpecLoader.load(Path.of("..", "specs", "demo.yaml")).spec();
  }

  /** Mean, population std (as in the paper's tables) and minimum, computed here from the values. */
  private static double[] stats(double... v) {
    double mean = 0;
    for (double x : v) {
      mean += x / v.length;
    }
    double var = 0;
    double min = Double.POSITIVE_INFINITY;
    for (double x : v) {
      var += (x - mean) * (x - mean) / v.length;
      min = Math.min(min, x);
    }
    return new double[] {mean, Math.sqrt(var), min};
  }

  /** "mean +- std | min", FID's cells. */
  private static String cells(double... v) {
    double[] s = stats(v);
    return String.format(Locale.ROOT, "%.2f +- %.2f | %.2f", s[0], s[1], s[2]);
  }

  /** "mean +- std" to {@code decimals}: the cell of any other result. */
  private static String meanStd(int decimals, double... v) {
    double[] s = stats(v);
    return String.format(Locale.ROOT, "%." + decimals + "f +- %." + decimals + "f", s[0], s[1]);
  }

  @Test
  void theTablesCarryTheArtifactsNumbersAndMarkTheBest() throws Exception {
    Path html = SweepReport.write(status(), spec(), new ArtifactStore(tmp.resolve("store")), tmp.resolve("out"),
        new SweepReport.Options(4, 0));
    String md = Files.readString(tmp.resolve("out").resolve(SweepReport.MARKDOWN));
    assertTrue(md.contains("| **temi-C=100** (best) | 100 | 99 | **1.72 +- 0.02** | 1.70 | " + meanStd(2, 60, 61, 62)
        + " | " + meanStd(3, 0.70, 0.72, 0.74) + " | 0.500 | 0.450 | 0.300 | 0.600 | evaluation/eval-temi-C=100 |"), md);
    assertTrue(md.contains("| temi-C=50 | 50 | 50 | " + cells(1.80, 1.84, 1.83) + " | " + meanStd(2, 63.0, 63.5, 64.0) + " | 0.720 +- 0.016 |"), md);
    assertTrue(md.contains("| kmeans-C=50 | 50 | 48 | " + cells(1.95, 1.99, 1.97) + " | " + meanStd(2, 66, 66, 66)), md);
    assertTrue(md.contains("| unconditional | - | - | " + cells(2.50, 2.46, 2.52) + " | - | - | - | - | - | - |"), md);
    assertTrue(md.contains("| FDD (mean +- std) | precision (mean +- std) | NMI |"), md);
    assertTrue(md.contains("| ground-truth | 10 classes | - | " + cells(1.79, 1.81, 1.80)), md);
    List<String> order = md.lines().filter(l -> l.startsWith("| ") && l.contains("evaluation/"))
        .map(l -> l.split("\\|")[1].trim().replace("**", "").replace(" (best)", "")).toList();
    assertEquals(List.of("kmeans-C=50", "temi-C=50", "temi-C=100", "unconditional", "ground-truth"), order,
        "grid points by method and C, then the baselines");
    assertTrue(md.contains("| 150 | 0.9700 | 146 | 0.2500 | -1.1500 | clustering/p150 |"), md);
    assertTrue(md.contains("C_max = 150: the largest C probed with r_C above alpha = 0.96."), md);
    assertFalse(md.contains("proxy"), "the paper's networks: no proxy warning");
    assertTrue(md.contains("![FID and r_C against C, with alpha and the searched range from 2 to C_max](cmax.png)"), md);
    String page = Files.readString(html);
    assertTrue(page.contains("<table>") && page.contains("<img src=\"cmax.png\""), page);
    BufferedImage figure = ImageIO.read(tmp.resolve("out").resolve("cmax.png").toFile());
    assertEquals(960, figure.getWidth());
    assertEquals(540, figure.getHeight());
  }

  @Test
  void theFigureHasAxesLabelsAndALegendForEverySeries() throws Exception {
    XYChart chart = CmaxFigure.chart(ReportData.of(status(), spec()));
    assertEquals(CmaxFigure.TITLE, chart.getTitle());
    assertEquals(CmaxFigure.X_AXIS, chart.getXAxisTitle());
    assertEquals("FID (mean over sets)", chart.getYAxisTitle());
    assertEquals(CmaxFigure.R_AXIS, chart.getYAxisGroupTitle(1));
    assertTrue(chart.getStyler().isLegendVisible());
    assertEquals(Set.of("temi FID", "kmeans FID", "unconditional FID", "ground-truth FID", "[2, C_max = 150)",
        "r_C (C_max search)", "alpha = 0.960"), chart.getSeriesMap().keySet());
    XYSeries rc = chart.getSeriesMap().get("r_C (C_max search)");
    assertEquals(1, rc.getYAxisGroup());
    assertEquals(List.of(50.0, 100.0, 150.0, 200.0), toList(rc.getXData()), "probes sorted by C");
    XYSeries temi = chart.getSeriesMap().get("temi FID");
    assertEquals(List.of(50.0, 100.0), toList(temi.getXData()));
    assertEquals(1.72, temi.getYData()[1], 1e-12);
    assertEquals(Math.sqrt((0.0004 + 0.0004 + 0) / 3), temi.getExtraValues()[1], 1e-12, "error bars: std over sets");
    XYSeries range = chart.getSeriesMap().get("[2, C_max = 150)");
    assertEquals(List.of(2.0, 150.0), toList(range.getXData()));
  }

  @Test
  void aSweepStillInItsSearchShowsTheEvidenceAlone() throws Exception {
    SweepStatus s = status();
    SweepStatus searching = new SweepStatus(s.sweepId(), SweepPhase.SEARCH, s.stages(), null, s.evidence(), List.of(), List.of());
    ReportData data = ReportData.of(searching, spec());
    assertNull(data.best());
    XYChart chart = CmaxFigure.chart(data);
    assertEquals(CmaxFigure.R_AXIS, chart.getYAxisTitle(), "r_C takes the left axis while nothing is scored");
    SweepReport.write(searching, spec(), new ArtifactStore(tmp.resolve("store")), tmp.resolve("partial"),
        new SweepReport.Options(4, 8));
    String md = Files.readString(tmp.resolve("partial").resolve(SweepReport.MARKDOWN));
    assertTrue(md.contains("The sweep is not finished (search)"), md);
    assertTrue(md.contains("No sample grid"), md);
  }

  /** The status's trials, each with a curve at these kimg that falls to its final FID. */
  private static ReportData withCurves(double... kimg) throws Exception {
    SweepStatus s = status();
    List<TrialResult> trials = new ArrayList<>();
    for (TrialResult t : s.trials()) {
      List<CurvePoint> curve = new ArrayList<>();
      for (int i = 0; i < kimg.length; i++) {
        double fid = t.evaluation().fid().get(0) + 0.5 * (kimg.length - 1 - i);
        curve.add(new CurvePoint(kimg[i], List.of(fid), "eval-" + t.point().id() + "-" + i));
      }
      trials.add(new TrialResult(t.point(), t.state(), t.clustering(), t.training(), t.evaluation(), t.note(), curve));
    }
    return ReportData.of(new SweepStatus(s.sweepId(), s.phase(), s.stages(), s.cMax(), s.evidence(), trials,
        s.rungs()), spec());
  }

  /** The x axis's tick labels as XChart writes them: its decimal pattern, in the chart's locale. */
  private static String tick(XYChart chart, double x) {
    return new DecimalFormat(chart.getStyler().getXAxisDecimalPattern(),
        DecimalFormatSymbols.getInstance(chart.getStyler().getLocale())).format(x);
  }

  @Test
  void aShortRunsCurvesAreInKimgWithRoundTicksAndEveryNameInTheLegend() throws Exception {
    XYChart chart = CurveFigure.chart(withCurves(1.024, 2.016, 3.008));
    assertEquals("training images seen (kimg)", chart.getXAxisTitle());
    assertEquals(List.of(1.024, 2.016, 3.008), toList(chart.getSeriesMap().get("temi-C=100").getXData()));
    assertEquals(0.0, chart.getStyler().getXAxisMin());
    assertEquals(3.1, chart.getStyler().getXAxisMax(), 1e-12, "a round end past the last snapshot");
    assertEquals("2", tick(chart, 2.0));
    assertEquals("2.5", tick(chart, 2.5));
    assertEquals(Set.of("kmeans-C=50", "temi-C=50", "temi-C=100", "unconditional", "unconditional final",
        "ground-truth"), chart.getSeriesMap().keySet());
    assertEquals(Styler.LegendPosition.OutsideE, chart.getStyler().getLegendPosition());
    assertEquals(Styler.LegendLayout.Vertical, chart.getStyler().getLegendLayout());
    BitmapEncoder.saveBitmap(chart, tmp.resolve(SweepReport.CURVES).toString(), BitmapEncoder.BitmapFormat.PNG);
    assertEquals(chart.getWidth(), ImageIO.read(tmp.resolve(SweepReport.CURVES).toFile()).getWidth());
  }

  @Test
  void thePapersCurvesAreInMimg() throws Exception {
    XYChart chart = CurveFigure.chart(withCurves(50_000, 100_000, 150_000, 200_000.512));
    assertEquals("training images seen (Mimg)", chart.getXAxisTitle());
    double[] x = chart.getSeriesMap().get("kmeans-C=50").getXData();
    assertEquals(List.of(50.0, 100.0, 150.0), toList(x).subList(0, 3));
    assertEquals(200.000512, x[3], 1e-9);
    assertEquals(200.0, chart.getStyler().getXAxisMax(), 1e-9, "the final model a batch past 200 Mimg ends it");
    assertEquals("150", tick(chart, 150.0));
  }

  private static List<Double> toList(double[] values) {
    return java.util.Arrays.stream(values).boxed().collect(Collectors.toList());
  }
}
