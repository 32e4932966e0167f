package cedm.report;

import java.util.List;
import org.commonmark.ext.gfm.tables.TablesExtension;
import org.commonmark.parser.Parser;
import org.commonmark.renderer.html.HtmlRenderer;

/** The Markdown report as a standalone HTML page (figures referenced beside it). */
final class HtmlReport {
  private static final List<org.commonmark.Extension> EXTENSIONS = List.of(TablesExtension.create());
  private static final String STYLE = """
      body { font-family: sans-serif; max-width: 1000px; margin: 2em auto; color: #222; }
      table { border-collapse: collapse; margin: 1em 0; }
      th, td { border: 1px solid #ccc; padding: 4px 8px; }
      th { background: #f3f3f3; }
      td { font-variant-numeric: tabular-nums; }
      img { max-width: 100%; }
      """;

  private HtmlReport() {}

  static String render(String title, String markdown) {
    Parser parser = Parser.builder().extensions(EXTENSIONS).build();
    HtmlRenderer renderer = HtmlRenderer.builder().extensions(EXTENSIONS).escapeHtml(true).build();
    return "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>" + escape(title) + "</title><style>" + STYLE
        + "</style></head><body>\n" + renderer.render(parser.parse(markdown)) + "</body></html>\n";
  }

  private static String escape(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }
}
