package cedm.report;

import cedm.workflow.CurvePoint;
import cedm.workflow.GridPoint;
import java.awt.BasicStroke;
import java.awt.Color;
import java.util.List;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The paper's Fig. 2: mean FID against the images seen in training, a line per grid point, the
 * unconditional baseline dashed and its final FID as a horizontal line the others are measured by.
 */
final class CurveFigure {
  static final String TITLE = "FID during training";
  static final String X_AXIS = "training images seen (Mimg)";
  private static final BasicStroke DASHED = new BasicStroke(2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f,
      new float[] {6f, 4f}, 0f);

  private CurveFigure() {}

  /** Null when no point has a curve. */
  static XYChart chart(ReportData data) {
    List<ReportData.Row> curved = data.rows().stream().filter(r -> !r.trial().curve().isEmpty()).toList();
    if (curved.isEmpty()) {
      return null;
    }
    XYChart chart = new XYChartBuilder().width(960).height(540).title(TITLE).xAxisTitle(X_AXIS)
        .yAxisTitle(data.proxy() ? "proxy FID (builtin network, mean)" : "FID (mean)").build();
    chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
    chart.getStyler().setLegendLayout(Styler.LegendLayout.Horizontal);
    chart.getStyler().setChartBackgroundColor(Color.WHITE);
    double maxMimg = curved.stream().mapToDouble(r -> last(r.trial().curve()).kimg() / 1000).max().orElse(1);
    for (ReportData.Row r : curved) {
      List<CurvePoint> curve = r.trial().curve();
      XYSeries s = chart.addSeries(r.point(), curve.stream().map(p -> p.kimg() / 1000).toList(),
          curve.stream().map(CurvePoint::meanFid).toList());
      s.setMarker(SeriesMarkers.CIRCLE);
      if (r.trial().point().kind() == GridPoint.Kind.UNCONDITIONAL) {
        s.setLineStyle(DASHED);
        s.setLineColor(Color.BLACK);
        s.setMarkerColor(Color.BLACK);
        double target = last(curve).meanFid();
        XYSeries line = chart.addSeries("unconditional final", List.of(0.0, maxMimg), List.of(target, target));
        line.setMarker(SeriesMarkers.NONE);
        line.setLineStyle(DASHED);
        line.setLineColor(Color.GRAY);
      }
    }
    return chart;
  }

  private static CurvePoint last(List<CurvePoint> curve) {
    return curve.get(curve.size() - 1);
  }
}
