package org.trustatlas.gold;

import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.trustatlas.contract.TableSpec;
import org.trustatlas.contract.Tables;
import org.trustatlas.quality.Expectation;
import org.trustatlas.quality.Expectations;
import org.trustatlas.report.ReportWriter;
import org.trustatlas.run.RunContext;
import org.trustatlas.run.Step;
import org.trustatlas.run.StepCount;

/**
 * silver → gold.country_scorecard, gold.trust_uptake_correlation, gold.model_reach and the report.
 */
public final class GoldJob implements Step {
  private static final Logger LOG = LoggerFactory.getLogger(GoldJob.class);
  public static final String STEP = "gold";
  static final String USAGE_SOURCE = "usage_logs (synthetic)";

  public static final List<Expectation> SCORECARD_EXPECTATIONS =
      List.of(
          new Expectation(
              "scorecard_trust_in_range",
              Tables.COUNTRY_SCORECARD.name(),
              "NOT (trust_value BETWEEN 0 AND 100)",
              "fail",
              "bad_value"),
          new Expectation(
              "scorecard_shares_sum_to_one",
              Tables.COUNTRY_SCORECARD.name(),
              "share_cn IS NOT NULL AND abs(share_cn + share_us + share_other - 1) > 1e-6",
              "fail",
              "bad_value"));

  @Override
  public String name() {
    return STEP;
  }

  @Override
  public void run(RunContext ctx) {
    var wh = ctx.warehouse();
    var spark = ctx.spark();
    for (TableSpec t :
        List.of(Tables.COUNTRY_MEASURES, Tables.COUNTRIES, Tables.MODELS, Tables.USAGE_DAILY)) {
      ctx.versionRead(t.name(), wh.version(t));
    }
    // Gold's inputs are small once usage is summed per year: each is read once and kept on the
    // driver, so the many queries below plan against local rows instead of Delta scans.
    Dataset<Row> measures = local(wh.read(Tables.COUNTRY_MEASURES));
    Dataset<Row> countries = local(wh.read(Tables.COUNTRIES));
    Dataset<Row> models = local(wh.read(Tables.MODELS));
    Dataset<Row> usage = local(usageByYear(wh.read(Tables.USAGE_DAILY)));
    Dataset<Row> periods =
        measures
            .select("period")
            .union(usage.select(functions.year(functions.col("date")).as("period")))
            .distinct();
    Dataset<Row> means =
        Scorecard.meanOverSources(
                Scorecard.latestAsOf(measures, periods, ctx.config().maxAgePeriods()))
            .cache();
    Dataset<Row> trust =
        means.where(
            functions.not(functions.col("metric").isin(Scorecard.UPTAKE_METRICS.toArray())));
    Dataset<Row> tableUptake =
        means
            .where(functions.col("metric").isin(Scorecard.UPTAKE_METRICS.toArray()))
            .select(
                "period",
                "country_iso3",
                "metric",
                "value",
                "sources",
                "licences",
                "redistributable");
    Dataset<Row> uptake = tableUptake.unionByName(usageUptake(usage, countries));
    Dataset<Row> card = Scorecard.build(trust, uptake, originShares(usage), countries).cache();
    long t0 = System.nanoTime();
    Expectations.Checked checked = Expectations.check(ctx, card, SCORECARD_EXPECTATIONS);
    LOG.info("  scorecard built and checked in {} s", secs(t0));
    Expectations.uniqueKeys(ctx, Tables.COUNTRY_SCORECARD, checked.kept());
    Dataset<Row> corr = Scorecard.correlations(checked.kept());
    Dataset<Row> reach = Scorecard.modelReach(usage, models);

    t0 = System.nanoTime();
    long rows = writeByPeriod(ctx, Tables.COUNTRY_SCORECARD, checked.kept());
    LOG.info("  scorecard written in {} s", secs(t0));
    t0 = System.nanoTime();
    writeByPeriod(ctx, Tables.TRUST_UPTAKE_CORRELATION, corr);
    LOG.info("  correlations written in {} s", secs(t0));
    t0 = System.nanoTime();
    writeByPeriod(ctx, Tables.MODEL_REACH, reach);
    LOG.info("  model reach written in {} s", secs(t0));
    t0 = System.nanoTime();
    ctx.count(new StepCount(STEP, "gold.country_scorecard", rows, rows, 0));
    String report = ReportWriter.write(ctx);
    LOG.info("  report {} in {} s", report, secs(t0));
    card.unpersist();
    means.unpersist();
  }

  private static String secs(long t0) {
    return String.format(java.util.Locale.ROOT, "%.1f", (System.nanoTime() - t0) / 1e9);
  }

  /**
   * Replaces the periods whose rows changed (and clears periods that vanished), in one commit.
   *
   * @return the rows the table holds
   */
  private static long writeByPeriod(RunContext ctx, TableSpec spec, Dataset<Row> df) {
    var written = ctx.warehouse().replaceChanged(spec, df, "period");
    ctx.outputVersion(spec.name(), written.version());
    return written.rows();
  }

  /**
   * The rows of a small frame, computed once and held by the driver. A few rows become a local
   * relation, which the optimizer folds into its plans; more (usage at volume: tens of thousands)
   * stay an RDD of the collected rows, because folding those into every plan that reads them cost
   * seconds of planning per query (the scorecard's took 6 s at 10 M input rows).
   */
  static Dataset<Row> local(Dataset<Row> df) {
    java.util.List<Row> rows = df.collectAsList();
    var spark = df.sparkSession();
    if (rows.size() <= FOLDED_ROWS_MAX) {
      return spark.createDataFrame(rows, df.schema());
    }
    var jsc = org.apache.spark.api.java.JavaSparkContext.fromSparkContext(spark.sparkContext());
    return spark.createDataFrame(jsc.parallelize(rows, 1), df.schema());
  }

  /** Gold inputs up to this many rows are local relations (see {@link #local}). */
  static final int FOLDED_ROWS_MAX = 2_000;

  /**
   * Usage summed per year, country and model: the grain every gold use of usage needs ({@code date}
   * is the first of the year).
   */
  static Dataset<Row> usageByYear(Dataset<Row> usage) {
    return usage
        .groupBy(
            functions.expr("make_date(year(date), 1, 1)").as("date"),
            functions.col("country_iso3"),
            functions.col("model_id"),
            functions.col("root_model_id"),
            functions.col("origin_iso3"),
            functions.col("open_weights"))
        // Exact decimal sums: the same rows give the same bits in any order (re-runs compare
        // equal).
        .agg(exactSum("downloads").as("downloads"), exactSum("requests").as("requests"));
  }

  /** A column's sum, order-independent (see {@link Scorecard#exactSum}). */
  private static org.apache.spark.sql.Column exactSum(String column) {
    return functions.expr(Scorecard.exactSum(column));
  }

  /** Open-weight downloads and requests per 100 000 internet users, per country and year. */
  static Dataset<Row> usageUptake(Dataset<Row> usage, Dataset<Row> countries) {
    Dataset<Row> open =
        usage
            .where("open_weights")
            .groupBy(
                functions.year(functions.col("date")).as("period"), functions.col("country_iso3"))
            .agg(exactSum("downloads").as("d"), exactSum("requests").as("r"));
    Dataset<Row> j =
        open.join(
                countries.select(
                    functions.col("iso3").as("country_iso3"), functions.col("internet_users")),
                "country_iso3")
            .where("internet_users > 0");
    Dataset<Row> d =
        j.where("d > 0")
            .select(
                functions.col("period"),
                functions.col("country_iso3"),
                functions.lit("open_downloads_per_100k").as("metric"),
                functions.expr("d / internet_users * 100000").as("value"));
    Dataset<Row> r =
        j.where("r > 0")
            .select(
                functions.col("period"),
                functions.col("country_iso3"),
                functions.lit("open_requests_per_100k").as("metric"),
                functions.expr("r / internet_users * 100000").as("value"));
    return d.union(r)
        .withColumn("sources", functions.lit(USAGE_SOURCE))
        .withColumn("licences", functions.array(functions.lit("synthetic sample (Apache-2.0)")))
        .withColumn("redistributable", functions.lit(true));
  }

  /** Shares of open-weight downloads by the root developer's country: CN, US, other. */
  static Dataset<Row> originShares(Dataset<Row> usage) {
    return usage
        .where("open_weights AND downloads > 0")
        .groupBy(functions.year(functions.col("date")).as("period"), functions.col("country_iso3"))
        .agg(
            functions
                .expr(Scorecard.exactSum("CASE WHEN origin_iso3 = 'CHN' THEN downloads ELSE 0 END"))
                .as("cn"),
            functions
                .expr(Scorecard.exactSum("CASE WHEN origin_iso3 = 'USA' THEN downloads ELSE 0 END"))
                .as("us"),
            exactSum("downloads").as("total"))
        .select(
            functions.col("period"),
            functions.col("country_iso3"),
            functions.expr("cn / total").as("share_cn"),
            functions.expr("us / total").as("share_us"),
            functions.expr("(total - cn - us) / total").as("share_other"));
  }
}
