package org.trustatlas.cli;

import java.io.PrintWriter;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.trustatlas.bronze.UsageBronzeJob;
import org.trustatlas.config.AtlasConfig;
import org.trustatlas.contract.Tables;
import org.trustatlas.run.RunContext;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Runs every step in order: catches up on new log partitions, or re-processes one date. */
@Command(
    name = "nightly",
    mixinStandardHelpOptions = true,
    description = {
      "Runs bronze -> silver -> gold.",
      "Without --date: processes every usage-log partition not yet processed (catch-up).",
      "With --date: (re)processes that run date, replacing its earlier results."
    })
final class NightlyCommand implements Callable<Integer> {
  @Mixin CommonOptions common;

  @Option(names = "--date", paramLabel = "YYYY-MM-DD", description = "Run date to (re)process.")
  String date;

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    AtlasConfig config = common.resolve();
    LocalDate explicit = date == null ? null : CommonOptions.parseDate(date);
    PrintWriter out = spec.commandLine().getOut();
    SparkSession spark = RunSupport.session(config);
    RunSupport.requireInput(spark, config, true);
    RunContext ctx;
    if (explicit != null) {
      ctx = RunSupport.context(spark, config, explicit, "nightly");
      ctx.usagePartitions(List.of(explicit));
    } else {
      List<LocalDate> pending = UsageBronzeJob.pendingPartitions(spark, config);
      LocalDate runDate =
          pending.isEmpty() ? LocalDate.now(ZoneOffset.UTC) : pending.get(pending.size() - 1);
      ctx = RunSupport.context(spark, config, runDate, "nightly");
      ctx.usagePartitions(pending);
      out.printf(
          Locale.ROOT,
          "Catching up: %d new usage partition(s)%s%n",
          pending.size(),
          pending.isEmpty() ? "" : " " + pending.get(0) + " .. " + runDate);
    }
    org.trustatlas.run.Pipeline.run(ctx, Layers.all());
    RunSupport.printTables(out, ctx);
    printSummary(out, ctx);
    return AtlasCli.OK;
  }

  private static void printSummary(PrintWriter out, RunContext ctx) {
    if (!ctx.warehouse().exists(Tables.COUNTRY_SCORECARD)) {
      return;
    }
    String trust = ctx.config().primaryTrustMetric();
    String uptake = ctx.config().primaryUptakeMetric();
    var card = ctx.warehouse().read(Tables.COUNTRY_SCORECARD);
    card.createOrReplaceTempView("atlas_summary_card");
    // The latest period with the primary trust metric; the primary uptake metric when it has rows.
    List<Row> top =
        ctx.spark()
            .sql(
                "WITH c AS (SELECT * FROM atlas_summary_card WHERE trust_metric = '"
                    + trust
                    + "'), pick AS (SELECT period, uptake_metric FROM c GROUP BY period,"
                    + " uptake_metric ORDER BY (uptake_metric = '"
                    + uptake
                    + "') DESC, period DESC, count(*) DESC, uptake_metric LIMIT 1) SELECT c.* FROM c JOIN pick"
                    + " USING (period, uptake_metric) ORDER BY trust_rank, country_iso3 LIMIT 10")
            .collectAsList();
    if (top.isEmpty()) {
      List<String> metrics =
          ctx.warehouse().exists(Tables.COUNTRY_MEASURES)
              ? ctx
                  .warehouse()
                  .read(Tables.COUNTRY_MEASURES)
                  .select("metric")
                  .distinct()
                  .collectAsList()
                  .stream()
                  .map(r -> r.getString(0))
                  .sorted()
                  .toList()
              : List.of();
      if (!metrics.contains(trust)) {
        // A misspelt gold.primary_trust_metric, not missing data.
        out.println(
            "Scorecard: gold.primary_trust_metric '"
                + trust
                + "' is no metric of silver.country_measures"
                + org.trustatlas.config.Suggest.hint(trust, metrics)
                + "; its metrics are "
                + String.join(", ", metrics));
        return;
      }
      out.println("Scorecard: no country has both a " + trust + " value and an uptake value yet.");
      return;
    }
    Row first = top.get(0);
    out.printf(
        Locale.ROOT,
        "Top countries by trust (%s, %d, uptake %s):%n",
        trust,
        first.getInt(first.fieldIndex("period")),
        first.getString(first.fieldIndex("uptake_metric")));
    for (Row r : top) {
      out.printf(
          Locale.ROOT,
          "  %2d. %-24s trust %5.1f%% [%5.1f, %5.1f]  uptake %10.2f (rank %d)  %s%n",
          r.getInt(r.fieldIndex("trust_rank")),
          r.getString(r.fieldIndex("country_name")),
          r.getDouble(r.fieldIndex("trust_value")),
          r.isNullAt(r.fieldIndex("trust_ci_low"))
              ? Double.NaN
              : r.getDouble(r.fieldIndex("trust_ci_low")),
          r.isNullAt(r.fieldIndex("trust_ci_high"))
              ? Double.NaN
              : r.getDouble(r.fieldIndex("trust_ci_high")),
          r.getDouble(r.fieldIndex("uptake_value")),
          r.getInt(r.fieldIndex("uptake_rank")),
          r.getString(r.fieldIndex("quadrant")));
    }
  }
}
