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
  private static final BasicStroke DASHED = new BasicStroke(2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f,
      new float[] {6f, 4f}, 0f);

  /** The x axis's unit: Mimg at the paper's scale, kimg for shorter runs, whose Mimg would be only fractions. */
  private enum Unit {
    KIMG("kimg", 1),
    MIMG("Mimg", 1000);

    final String label;
    final double kimg;

    Unit(String label, double kimg) {
      this.label = label;
      this.kimg = kimg;
    }

    static Unit of(double maxKimg) {
      return maxKimg >= 1000 ? MIMG : KIMG;
    }

    String axisTitle() {
      return "training images seen (" + label + ")";
    }
  }

  private CurveFigure() {}

  /** Null when no point has a curve. */
  static XYChart chart(ReportData data) {
    List<ReportData.Row> curved = data.rows().stream().filter(r -> !r.trial().curve().isEmpty()).toList();
    if (curved.isEmpty()) {
      return null;
    }
    double maxKimg = curved.stream().mapToDouble(r -> last(r.trial().curve()).kimg()).max().orElseThrow();
    Unit unit = Unit.of(maxKimg);
    double end = roundUp(maxKimg / unit.kimg);
    XYChart chart = new XYChartBuilder().width(960).height(540).title(TITLE).xAxisTitle(unit.axisTitle())
        .yAxisTitle(data.proxy() ? "proxy FID (builtin network, mean)" : "FID (mean)").build();
    // Beside the plot, one name a line: every name whole, however long or many.
    chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
    chart.getStyler().setLegendLayout(Styler.LegendLayout.Vertical);
    chart.getStyler().setChartBackgroundColor(Color.WHITE);
    // From 0 to a round end. XChart puts its ticks on the data's own x values when these and the ends are
    // equally spaced, as snapshots every 1.024 kimg would be; a round end past the last snapshot breaks that.
    chart.getStyler().setXAxisMin(0.0);
    chart.getStyler().setXAxisMax(end);
    // A tick about every 160 pixels, at XChart's round steps (1, 2 or 5 times a power of ten), written
    // without trailing zeros.
    chart.getStyler().setXAxisTickMarkSpacingHint(160);
    chart.getStyler().setXAxisDecimalPattern("#,##0.###");
    for (ReportData.Row r : curved) {
      List<CurvePoint> curve = r.trial().curve();
      XYSeries s = chart.addSeries(r.point(), curve.stream().map(p -> p.kimg() / unit.kimg).toList(),
          curve.stream().map(CurvePoint::meanFid).toList());
      s.setMarker(SeriesMarkers.CIRCLE);
      if (r.trial().point().kind() == GridPoint.Kind.UNCONDITIONAL) {
        s.setLineStyle(DASHED);
        s.setLineColor(Color.BLACK);
        s.setMarkerColor(Color.BLACK);
        double target = last(curve).meanFid();
        XYSeries line = chart.addSeries("unconditional final", List.of(0.0, end), List.of(target, target));
        line.setMarker(SeriesMarkers.NONE);
        line.setLineStyle(DASHED);
        line.setLineColor(Color.GRAY);
      }
    }
    return chart;
  }

  /**
   * {@code x} rounded up to two significant digits, or down when only a hair above them: a final model a
   * batch past 200 Mimg ends the axis at 200.
   */
  private static double roundUp(double x) {
    double step = Math.pow(10, Math.floor(Math.log10(x)) - 1);
    return step * Math.ceil(x / step - 1e-3);
  }

  private static CurvePoint last(List<CurvePoint> curve) {
    return curve.get(curve.size() - 1);
  }
}
