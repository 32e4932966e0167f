package cedm.report;

import cedm.workflow.Probe;
import java.awt.BasicStroke;
import java.awt.Color;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.XYStyler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The paper's Fig. 3: FID (mean over sets, with their standard deviation) of each clustering
 * method against C on the left axis; the C_max search's utilisation r_C, the threshold alpha and
 * the discovered range [2, C_max) on the right; the baselines as horizontal lines.
 */
final class CmaxFigure {
  static final String TITLE = "FID and cluster utilisation against C";
  static final String X_AXIS = "C (number of clusters)";
  static final String R_AXIS = "r_C (cluster utilisation)";
  private static final BasicStroke DASHED = new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f,
      new float[] {6f, 4f}, 0f);

  private CmaxFigure() {}

  /** Null when there is nothing to draw against C. */
  static XYChart chart(ReportData data) {
    Map<String, TreeMap<Integer, ReportData.Row>> byMethod = new TreeMap<>();
    for (ReportData.Row r : data.rows()) {
      if (r.clusters() && r.fid() != null) {
        byMethod.computeIfAbsent(r.trial().point().method().id(), m -> new TreeMap<>()).put(r.trial().point().clusters(), r);
      }
    }
    if (byMethod.isEmpty() && data.evidence().isEmpty()) {
      return null;
    }
    boolean scored = data.rows().stream().anyMatch(r -> r.fid() != null);
    // r_C shares the left axis while no FID exists yet (a sweep still in its search).
    int rGroup = scored ? 1 : 0;
    String fid = data.proxy() ? "proxy FID (builtin network, mean over sets)" : "FID (mean over sets)";
    XYChart chart = new XYChartBuilder().width(960).height(540).title(TITLE).xAxisTitle(X_AXIS)
        .yAxisTitle(scored ? fid : R_AXIS).build();
    XYStyler styler = chart.getStyler();
    styler.setLegendPosition(Styler.LegendPosition.OutsideS);
    styler.setLegendLayout(Styler.LegendLayout.Horizontal);
    styler.setLegendVisible(true);
    styler.setXAxisDecimalPattern("0");
    styler.setChartBackgroundColor(Color.WHITE);

    double xMin = 2;
    double xMax = 2;
    for (TreeMap<Integer, ReportData.Row> points : byMethod.values()) {
      xMax = Math.max(xMax, points.lastKey());
    }
    for (Probe p : data.evidence()) {
      xMax = Math.max(xMax, p.clusters());
    }
    for (Map.Entry<String, TreeMap<Integer, ReportData.Row>> m : byMethod.entrySet()) {
      List<Double> c = new ArrayList<>();
      List<Double> mean = new ArrayList<>();
      List<Double> std = new ArrayList<>();
      m.getValue().forEach((k, r) -> {
        c.add((double) k);
        mean.add(r.fid().mean());
        std.add(r.fid().std());
      });
      XYSeries s = chart.addSeries(m.getKey() + " FID", c, mean, std);
      s.setMarker(SeriesMarkers.CIRCLE);
    }
    for (ReportData.Row r : data.rows()) {
      if (!r.clusters() && r.fid() != null) {
        XYSeries s = chart.addSeries(r.point() + " FID", List.of(xMin, xMax), List.of(r.fid().mean(), r.fid().mean()));
        s.setMarker(SeriesMarkers.NONE);
        s.setLineStyle(DASHED);
      }
    }
    if (!data.evidence().isEmpty()) {
      List<Probe> probes = new ArrayList<>(data.evidence());
      probes.sort(Comparator.comparingInt(Probe::clusters));
      if (data.cMax() != null) {
        XYSeries range = chart.addSeries(String.format(Locale.ROOT, "[2, C_max = %d)", data.cMax()),
            List.of(2.0, (double) data.cMax()), List.of(1.0, 1.0));
        range.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Area);
        range.setFillColor(new Color(120, 170, 230, 60));
        range.setLineColor(new Color(120, 170, 230, 120));
        range.setMarker(SeriesMarkers.NONE);
        range.setYAxisGroup(rGroup);
      }
      XYSeries r = chart.addSeries("r_C (C_max search)", probes.stream().map(p -> (double) p.clusters()).toList(),
          probes.stream().map(Probe::utilisation).toList());
      r.setMarker(SeriesMarkers.DIAMOND);
      r.setYAxisGroup(rGroup);
      if (data.alpha() != null) {
        XYSeries a = chart.addSeries(String.format(Locale.ROOT, "alpha = %.3g", data.alpha()), List.of(xMin, xMax),
            List.of(data.alpha(), data.alpha()));
        a.setMarker(SeriesMarkers.NONE);
        a.setLineStyle(DASHED);
        a.setLineColor(Color.DARK_GRAY);
        a.setYAxisGroup(rGroup);
      }
      if (scored) {
        chart.setYAxisGroupTitle(1, R_AXIS);
        styler.setYAxisGroupPosition(1, Styler.YAxisPosition.Right);
      }
      styler.setYAxisMin(rGroup, 0.0);
      styler.setYAxisMax(rGroup, 1.05);
    }
    return chart;
  }
}
