package cedm.report;

import cedm.activities.TrainedModel;
import cedm.spec.ExperimentSpec;
import cedm.store.ArtifactStore;
import cedm.workflow.SweepStatus;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import javax.imageio.ImageIO;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;

/**
 * Writes a sweep's report into a folder: {@code report.md}, {@code report.html} and the PNG
 * figures they show ({@code cmax.png}, {@code samples.png}).
 */
public final class SweepReport {
  public static final String MARKDOWN = "report.md";
  public static final String HTML = "report.html";
  static final String CMAX = "cmax.png";
  static final String SAMPLES = "samples.png";
  static final String CURVES = "curves.png";

  /**
   * @param clusters rows of the sample grid (the largest clusters of the best clustering point)
   * @param perCluster samples per row; 0 draws no grid (sampling a paper-scale model on a CPU is slow)
   */
  public record Options(int clusters, int perCluster) {}

  private SweepReport() {}

  /** Writes the report of {@code status} into {@code out}; returns the HTML file. */
  public static Path write(SweepStatus status, ExperimentSpec spec, ArtifactStore store, Path out, Options options)
      throws IOException {
    Files.createDirectories(out);
    ReportData data = ReportData.of(status, spec);
    MarkdownReport.Figure cmax = null;
    XYChart chart = CmaxFigure.chart(data);
    if (chart != null) {
      BitmapEncoder.saveBitmap(chart, out.resolve(CMAX).toString(), BitmapEncoder.BitmapFormat.PNG);
      cmax = new MarkdownReport.Figure(CMAX, "FID and r_C against C, with alpha and the searched range from 2 to C_max");
    }
    MarkdownReport.Figure curves = null;
    XYChart curveChart = CurveFigure.chart(data);
    if (curveChart != null) {
      BitmapEncoder.saveBitmap(curveChart, out.resolve(CURVES).toString(), BitmapEncoder.BitmapFormat.PNG);
      curves = new MarkdownReport.Figure(CURVES, "Mean FID against the images seen in training, one line per point; "
          + "the unconditional model dashed, its final FID as the grey line");
    }
    MarkdownReport.Figure samples = null;
    ReportData.Row best = data.bestClustering();
    if (best != null && options.perCluster() > 0) {
      TrainedModel model = TrainedModel.find(store, best.trial().training().artifactId());
      BufferedImage grid = SampleGrid.render(model, spec.evaluation(), options.clusters(), options.perCluster());
      ImageIO.write(grid, "png", out.resolve(SAMPLES).toFile());
      samples = new MarkdownReport.Figure(SAMPLES, String.format(Locale.ROOT,
          "Samples of %s (the clustering point with the lowest FID): one row per cluster, its %d largest, "
              + "%d samples each", best.point(), Math.min(options.clusters(), model.classCounts().length),
          options.perCluster()));
    }
    DeviceTime time = DeviceTime.of(store.ledger().entries(status.sweepId()));
    String markdown = MarkdownReport.render(data, cmax, curves, samples, time, HalvingCost.of(status, time));
    Files.writeString(out.resolve(MARKDOWN), markdown);
    Path html = out.resolve(HTML);
    Files.writeString(html, HtmlReport.render("cedm sweep " + status.sweepId(), markdown));
    return html;
  }
}
