package org.trustatlas.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Row;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.ValueAxis;
import org.jfree.chart.labels.StandardCategoryToolTipGenerator;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.category.StackedBarRenderer;
import org.jfree.chart.renderer.xy.XYErrorRenderer;
import org.jfree.chart.title.LegendTitle;
import org.jfree.data.category.DefaultCategoryDataset;
import org.jfree.data.xy.YIntervalSeries;
import org.jfree.data.xy.YIntervalSeriesCollection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.trustatlas.contract.Tables;
import org.trustatlas.run.RunContext;

/**
 * The run's report: one self-contained HTML file under {@code <warehouse>/report/} with the charts
 * inside (PNG, base64): trust vs uptake per country, CN/US/other shares, correlations, derivative
 * multipliers. Reads only the gold tables.
 */
public final class ReportWriter {
  private static final Logger LOG = LoggerFactory.getLogger(ReportWriter.class);
  static final Map<String, Color> INCOME =
      new LinkedHashMap<>(
          Map.of(
              "High income", new Color(0x1f77b4),
              "Upper middle income", new Color(0x2ca02c),
              "Lower middle income", new Color(0xff7f0e),
              "Low income", new Color(0xd62728),
              "Unclassified", Color.GRAY));

  private ReportWriter() {}

  /** Writes the report and returns its path. */
  public static String write(RunContext ctx) {
    System.setProperty("java.awt.headless", "true");
    var wh = ctx.warehouse();
    String trust = ctx.config().primaryTrustMetric();
    String uptake = ctx.config().primaryUptakeMetric();
    wh.read(Tables.COUNTRY_SCORECARD).createOrReplaceTempView("report_card");
    List<Row> pick =
        ctx.spark()
            .sql(
                "SELECT period, uptake_metric FROM report_card WHERE trust_metric = '"
                    + trust
                    + "' GROUP BY period, uptake_metric ORDER BY (uptake_metric = '"
                    + uptake
                    + "') DESC, period DESC, count(*) DESC, uptake_metric LIMIT 1")
            .collectAsList();
    StringBuilder html = new StringBuilder();
    html.append(
            "<!doctype html><html><head><meta charset='utf-8'><title>Trust Atlas report</title>")
        .append("<style>body{font-family:sans-serif;max-width:1100px;margin:2em auto;color:#222}")
        .append(
            "table{border-collapse:collapse;font-size:13px}td,th{border:1px solid #ccc;padding:3px 8px;")
        .append("text-align:right}th{background:#f3f3f3}td:first-child{text-align:left}")
        .append(".note{color:#666;font-size:13px}</style></head><body>")
        .append("<h1>Trust Atlas — where is AI trusted, and whose open models are taken up?</h1>")
        .append("<p class='note'>Run ")
        .append(esc(ctx.runId()))
        .append(", run date ")
        .append(ctx.runDate())
        .append(". Usage logs in the samples are <b>synthetic</b>; survey and")
        .append(
            " adoption figures are as published (see silver.country_measures for sources).</p>");
    if (pick.isEmpty()) {
      html.append("<p>No country has both a ")
          .append(esc(trust))
          .append(" value and an uptake value yet.</p>");
    } else {
      int period = pick.get(0).getInt(0);
      String up = pick.get(0).getString(1);
      List<Row> rows =
          ctx.spark()
              .sql(
                  "SELECT * FROM report_card WHERE trust_metric = '"
                      + trust
                      + "' AND uptake_metric = '"
                      + up
                      + "' AND period = "
                      + period
                      + " ORDER BY trust_rank, country_iso3")
              .collectAsList();
      html.append("<h2>1. Trust in AI vs open-model uptake, ")
          .append(period)
          .append("</h2>")
          .append("<p>Trust: <code>")
          .append(esc(trust))
          .append("</code> (mean over sources, 95 % interval);")
          .append(" uptake: <code>")
          .append(esc(up))
          .append("</code>. ")
          .append(rows.size())
          .append(" countries with both values. Colour: World Bank income group.</p>")
          .append(img(scatter(rows, trust, up)));
      html.append(
          "<h2>2. Whose open models? Shares of open-model downloads by developer origin</h2>");
      List<Row> shares =
          ctx.spark()
              .sql(
                  "SELECT country_iso3, first(share_cn) cn, first(share_us) us, first(share_other) other"
                      + " FROM report_card WHERE period = (SELECT max(period) FROM report_card WHERE"
                      + " share_cn IS NOT NULL) AND share_cn IS NOT NULL GROUP BY country_iso3 ORDER BY cn"
                      + " DESC, country_iso3 LIMIT 40")
              .collectAsList();
      html.append(
          shares.isEmpty() ? "<p>No open-model downloads in the data.</p>" : img(stacked(shares)));
      html.append("<h2>3. Correlation of trust and uptake, ").append(period).append("</h2>");
      wh.read(Tables.TRUST_UPTAKE_CORRELATION).createOrReplaceTempView("report_corr");
      html.append(
          table(
              ctx.spark()
                  .sql(
                      "SELECT uptake_metric, country_group, n, round(pearson_r, 3) pearson_r,"
                          + " round(pearson_ci_low, 3) ci_low, round(pearson_ci_high, 3) ci_high,"
                          + " round(spearman_rho, 3) spearman_rho FROM report_corr WHERE period = "
                          + period
                          + " AND trust_metric = '"
                          + trust
                          + "' ORDER BY uptake_metric,"
                          + " country_group")
                  .collectAsList(),
              List.of(
                  "uptake metric",
                  "group",
                  "n",
                  "Pearson r",
                  "95% low",
                  "95% high",
                  "Spearman ρ")));
    }
    html.append("<h2>4. Derivative multipliers (downloads of derivatives / of the root)</h2>");
    wh.read(Tables.MODEL_REACH).createOrReplaceTempView("report_reach");
    List<Row> reach =
        ctx.spark()
            .sql(
                "SELECT root_model_id, period, origin_iso3, derivative_count, round(root_downloads, 1),"
                    + " round(derivative_downloads, 1), round(derivative_multiplier, 2), countries_reached"
                    + " FROM report_reach WHERE derivative_multiplier IS NOT NULL ORDER BY"
                    + " derivative_downloads DESC, root_model_id LIMIT 15")
            .collectAsList();
    if (!reach.isEmpty()) {
      html.append(img(multipliers(reach)));
    }
    html.append(
        table(
            reach,
            List.of(
                "root model",
                "period",
                "origin",
                "derivatives",
                "root downloads",
                "derivative downloads",
                "multiplier",
                "countries")));
    html.append("</body></html>");
    String file = wh.root() + "/report/index.html";
    try {
      Path p = new Path(file);
      FileSystem fs = p.getFileSystem(ctx.spark().sparkContext().hadoopConfiguration());
      try (OutputStream out = fs.create(p, true)) {
        out.write(html.toString().getBytes(StandardCharsets.UTF_8));
      }
    } catch (IOException e) {
      LOG.warn("could not write the report {}: {}", file, e.getMessage());
      return null;
    }
    return file;
  }

  static JFreeChart scatter(List<Row> rows, String trust, String uptake) {
    YIntervalSeriesCollection data = new YIntervalSeriesCollection();
    Map<String, YIntervalSeries> series = new LinkedHashMap<>();
    INCOME.keySet().forEach(k -> series.put(k, new YIntervalSeries(k, false, true)));
    List<String[]> labels = new ArrayList<>();
    double min = Double.MAX_VALUE;
    double max = 0;
    for (Row r : rows) {
      String group =
          r.isNullAt(r.fieldIndex("income_group")) ? "Unclassified" : r.getAs("income_group");
      double x = r.getAs("uptake_value");
      double y = r.getAs("trust_value");
      Double lo = r.getAs("trust_ci_low");
      Double hi = r.getAs("trust_ci_high");
      series
          .computeIfAbsent(group, g -> new YIntervalSeries(g, false, true))
          .add(x, y, lo == null ? y : lo, hi == null ? y : hi);
      labels.add(new String[] {r.getAs("country_iso3"), String.valueOf(x), String.valueOf(y)});
      if (x > 0) {
        min = Math.min(min, x);
      }
      max = Math.max(max, x);
    }
    series.values().stream().filter(s -> s.getItemCount() > 0).forEach(data::addSeries);
    ValueAxis xAxis;
    if (min > 0 && max / min > 50) {
      LogAxis log = new LogAxis(uptake + " (log scale)");
      log.setSmallestValue(min / 2);
      xAxis = log;
    } else {
      xAxis = new NumberAxis(uptake);
    }
    NumberAxis yAxis = new NumberAxis(trust + " (%)");
    yAxis.setAutoRangeIncludesZero(false);
    XYErrorRenderer renderer = new XYErrorRenderer();
    renderer.setDrawXError(false);
    renderer.setDefaultLinesVisible(false);
    renderer.setDefaultShapesVisible(true);
    renderer.setErrorStroke(new BasicStroke(1f));
    XYPlot plot = new XYPlot(data, xAxis, yAxis, renderer);
    for (int i = 0; i < data.getSeriesCount(); i++) {
      Color c = INCOME.getOrDefault((String) data.getSeriesKey(i), Color.GRAY);
      renderer.setSeriesPaint(i, c);
      renderer.setSeriesFillPaint(i, c);
    }
    renderer.setErrorPaint(new Color(0, 0, 0, 70));
    plot.setBackgroundPaint(Color.WHITE);
    plot.setDomainGridlinePaint(new Color(230, 230, 230));
    plot.setRangeGridlinePaint(new Color(230, 230, 230));
    Font font = new Font(Font.SANS_SERIF, Font.PLAIN, 10);
    for (String[] l : labels) {
      org.jfree.chart.annotations.XYTextAnnotation a =
          new org.jfree.chart.annotations.XYTextAnnotation(
              l[0], Double.parseDouble(l[1]), Double.parseDouble(l[2]) + 1.2);
      a.setFont(font);
      plot.addAnnotation(a);
    }
    JFreeChart chart =
        new JFreeChart(
            "Trust in AI vs open-model uptake", JFreeChart.DEFAULT_TITLE_FONT, plot, true);
    chart.setBackgroundPaint(Color.WHITE);
    return chart;
  }

  static JFreeChart stacked(List<Row> shares) {
    DefaultCategoryDataset d = new DefaultCategoryDataset();
    for (Row r : shares) {
      String c = r.getString(0);
      d.addValue(r.isNullAt(1) ? 0 : r.getDouble(1), "CN", c);
      d.addValue(r.isNullAt(2) ? 0 : r.getDouble(2), "US", c);
      d.addValue(r.isNullAt(3) ? 0 : r.getDouble(3), "other", c);
    }
    JFreeChart chart =
        org.jfree.chart.ChartFactory.createStackedBarChart(
            "Open-model downloads by developer origin",
            "country",
            "share",
            d,
            PlotOrientation.VERTICAL,
            true,
            false,
            false);
    CategoryPlot plot = chart.getCategoryPlot();
    StackedBarRenderer r = (StackedBarRenderer) plot.getRenderer();
    r.setSeriesPaint(0, new Color(0xd62728));
    r.setSeriesPaint(1, new Color(0x1f77b4));
    r.setSeriesPaint(2, new Color(0x7f7f7f));
    r.setDefaultToolTipGenerator(new StandardCategoryToolTipGenerator());
    r.setShadowVisible(false);
    r.setBarPainter(new org.jfree.chart.renderer.category.StandardBarPainter());
    plot.getDomainAxis()
        .setCategoryLabelPositions(org.jfree.chart.axis.CategoryLabelPositions.UP_90);
    plot.setBackgroundPaint(Color.WHITE);
    ((NumberAxis) plot.getRangeAxis()).setRange(0, 1);
    chart.setBackgroundPaint(Color.WHITE);
    return chart;
  }

  static JFreeChart multipliers(List<Row> reach) {
    DefaultCategoryDataset d = new DefaultCategoryDataset();
    for (Row r : reach) {
      String id = r.getString(0);
      d.addValue(
          ((Number) r.get(6)).doubleValue(),
          "multiplier",
          id.substring(id.indexOf('/') + 1) + " (" + r.get(1) + ")");
    }
    JFreeChart chart =
        org.jfree.chart.ChartFactory.createBarChart(
            "Derivative multiplier by root model",
            "root model",
            "derivative / root downloads",
            d,
            PlotOrientation.HORIZONTAL,
            false,
            false,
            false);
    chart.getCategoryPlot().setBackgroundPaint(Color.WHITE);
    LogAxis log = new LogAxis("derivative / root downloads (log scale)");
    log.setSmallestValue(0.1);
    chart.getCategoryPlot().setRangeAxis(log);
    ((org.jfree.chart.renderer.category.BarRenderer) chart.getCategoryPlot().getRenderer())
        .setBarPainter(new org.jfree.chart.renderer.category.StandardBarPainter());
    chart.setBackgroundPaint(Color.WHITE);
    LegendTitle legend = chart.getLegend();
    if (legend != null) {
      legend.setVisible(false);
    }
    return chart;
  }

  static String img(JFreeChart chart) {
    try {
      ByteArrayOutputStream png = new ByteArrayOutputStream();
      ChartUtils.writeChartAsPNG(png, chart, 1000, 620);
      return "<img alt='"
          + esc(chart.getTitle() == null ? "chart" : chart.getTitle().getText())
          + "' src='data:image/png;base64,"
          + Base64.getEncoder().encodeToString(png.toByteArray())
          + "'/>";
    } catch (IOException | RuntimeException | Error e) {
      LOG.warn("chart not rendered: {}", e.toString());
      return "<p class='note'>(chart not rendered: " + esc(e.toString()) + ")</p>";
    }
  }

  static String table(List<Row> rows, List<String> header) {
    StringBuilder b = new StringBuilder("<table><tr>");
    header.forEach(h -> b.append("<th>").append(esc(h)).append("</th>"));
    b.append("</tr>");
    for (Row r : rows) {
      b.append("<tr>");
      for (int i = 0; i < r.length(); i++) {
        Object v = r.get(i);
        b.append("<td>")
            .append(
                v == null
                    ? "—"
                    : esc(
                        v instanceof Double dd
                            ? String.format(Locale.ROOT, "%.3f", dd)
                            : String.valueOf(v)))
            .append("</td>");
      }
      b.append("</tr>");
    }
    return b.append("</table>").toString();
  }

  static String esc(String s) {
    return s == null
        ? ""
        : s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("'", "&#39;");
  }
}
