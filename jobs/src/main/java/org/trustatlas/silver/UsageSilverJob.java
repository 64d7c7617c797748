package org.trustatlas.silver;

import static org.apache.spark.sql.functions.col;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.StructType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.trustatlas.contract.Tables;
import org.trustatlas.io.InputFiles;
import org.trustatlas.io.Quarantine;
import org.trustatlas.reference.CountryLookup;
import org.trustatlas.reference.CountryResolver;
import org.trustatlas.reference.Csv;
import org.trustatlas.reference.Resolution;
import org.trustatlas.run.RunContext;
import org.trustatlas.run.Step;
import org.trustatlas.run.StepCount;

/**
 * bronze usage → silver.usage_daily for every event date the run's partitions touch (late events
 * recompute their own date), attributed to root models, with no personal data and small cells
 * suppressed.
 */
public final class UsageSilverJob implements Step {
  /**
   * The first day of an app-actives row's month, printed {@code YYYY-MM}; null for anything else (a
   * year alone, {@code 2025}, would otherwise read as January).
   */
  static final String MONTH_START =
      "CASE WHEN trim(month) RLIKE '^[0-9]{4}-[0-9]{2}$' THEN try_to_date(trim(month) || '-01')"
          + " END";

  private static final Logger LOG = LoggerFactory.getLogger(UsageSilverJob.class);
  public static final String STEP = "silver.usage_daily";
  static final StructType APPS =
      StructType.fromDDL("app STRING, app_model_id STRING, app_origin STRING");

  @Override
  public String name() {
    return STEP;
  }

  @Override
  public boolean compiles(RunContext ctx) {
    return org.trustatlas.bronze.UsageBronzeJob.inputBytes(ctx)
        >= org.trustatlas.io.SparkSessions.compileFromBytes(ctx.spark());
  }

  @Override
  public void run(RunContext ctx) {
    var wh = ctx.warehouse();
    var spark = ctx.spark();
    if (ctx.usagePartitions().isEmpty()) {
      return;
    }
    String parts =
        String.join(", ", ctx.usagePartitions().stream().map(d -> "DATE'" + d + "'").toList());
    Dataset<Row> dl = wh.read(Tables.DOWNLOAD_EVENTS);
    Dataset<Row> api = wh.read(Tables.API_REQUESTS);
    Dataset<Row> mau = wh.read(Tables.APP_MAU);
    // Dates to recompute: the partitions themselves, every event date found in them, and the
    // months of the app-usage rows landed for them.
    TreeSet<String> dates = new TreeSet<>();
    ctx.usagePartitions().forEach(d -> dates.add(d.toString()));
    for (Row r :
        dl.where("partition_date IN (" + parts + ") AND event_date IS NOT NULL")
            .select("event_date")
            .union(
                api.where("partition_date IN (" + parts + ") AND event_date IS NOT NULL")
                    .select("event_date"))
            .union(
                mau.where("partition_date IN (" + parts + ")")
                    .select(functions.expr(MONTH_START).as("event_date"))
                    .where("event_date IS NOT NULL"))
            .distinct()
            .collectAsList()) {
      dates.add(r.getDate(0).toString());
    }
    String inDates = String.join(", ", dates.stream().map(d -> "DATE'" + d + "'").toList());
    // An event's data date is its event date, or its partition's when it has none: the dates
    // recomputed are replaced whole, in usage_daily and in quarantine.
    Dataset<Row> events =
        ofDates(dl, inDates)
            .select(
                functions.lit("downloads").as("kind"),
                col("partition_date"),
                col("file"),
                col("line"),
                col("request_id"),
                col("ts"),
                col("event_date"),
                col("model_id"),
                col("client_hash"),
                col("country_code"),
                col("ua_class"),
                functions.lit(null).cast("bigint").as("tokens_in"),
                functions.lit(null).cast("bigint").as("tokens_out"),
                functions.lit(true).as("ok"))
            .unionByName(
                ofDates(api, inDates)
                    .select(
                        functions.lit("api_requests").as("kind"),
                        col("partition_date"),
                        col("file"),
                        col("line"),
                        col("request_id"),
                        col("ts"),
                        col("event_date"),
                        col("model_id"),
                        col("client_hash"),
                        col("country_code"),
                        functions.lit("client").as("ua_class"),
                        col("tokens_in"),
                        col("tokens_out"),
                        functions.expr("coalesce(status BETWEEN 200 AND 299, false)").as("ok")));
    CountryResolver resolver = CountryResolver.load(ctx.config().rollUpGreaterChina());
    Dataset<Row> models = wh.read(Tables.MODELS);
    // Geo-IP country codes, resolved per spelling found (codes only: a name never resolves).
    UsageTransform.Result r =
        UsageTransform.build(
            events,
            code -> {
              Resolution c = resolver.resolveCode(code);
              return c.status() == Resolution.Status.RESOLVED ? c.iso3() : null;
            },
            models,
            ctx.config().minCountK());
    run(ctx, r, mau, inDates, resolver, dates);
  }

  /**
   * The rows of a bronze usage table whose data date — coalesce(event_date, partition_date) — is
   * one of {@code inDates}, asked as two scans Delta can prune: the partitions of those dates
   * (their rows dated so or undated), and the other partitions' rows dated so, whose files Delta
   * skips by their event_date statistics. A night reads the files that can hold its dates, not the
   * history (asked as one predicate, Delta could skip no file that holds an undated row).
   */
  static Dataset<Row> ofDates(Dataset<Row> table, String inDates) {
    String in = " IN (" + inDates + ")";
    return table
        .where("partition_date" + in + " AND (event_date" + in + " OR event_date IS NULL)")
        .unionAll(table.where("partition_date NOT" + in + " AND event_date" + in));
  }

  private void run(
      RunContext ctx,
      UsageTransform.Result r,
      Dataset<Row> mau,
      String inDates,
      CountryResolver resolver,
      TreeSet<String> dates) {
    var wh = ctx.warehouse();
    var spark = ctx.spark();
    Dataset<Row> appRows =
        appUsage(
            ctx,
            mau.where("coalesce(" + MONTH_START + ", partition_date) IN (" + inDates + ")"),
            resolver);
    Dataset<Row> appUsed =
        appRows.where("status = 'used'").drop("status", "location", "raw", "detail", "data_date");
    Dataset<Row> usage = r.usage().unionByName(appUsed);
    long v = wh.replace(Tables.USAGE_DAILY, usage, "date IN (" + inDates + ")").version();
    ctx.outputVersion(Tables.USAGE_DAILY.name(), v);

    // Events per (kind, event date, status), with the first location as a sample: the quarantine
    // rows and the counts.
    List<Row> byStatus =
        r.statuses()
            .select("kind", "event_date", "status", "row_count", "location", "model_ids", "top_ids")
            .collectAsList();
    List<Row> quarantined = new ArrayList<>();
    Map<String, long[]> perKind = new java.util.TreeMap<>();
    for (Row s : byStatus) {
      String kind = s.getString(0);
      String status = s.getString(2);
      long n = s.getLong(3);
      boolean used = status.equals("used") || status.equals("used_pooled");
      long[] c = perKind.computeIfAbsent(kind, k -> new long[2]);
      c[0] += n;
      c[1] += used ? n : 0;
      if (!used) {
        quarantined.add(
            RowFactory.create(
                kind,
                s.getString(4),
                null,
                status,
                "data date "
                    + s.getDate(1)
                    + ": "
                    + n
                    + " row(s); location is the first"
                    + unknownIds(s),
                n,
                s.getDate(1)));
      }
    }
    perKind.forEach((kind, c) -> ctx.count(new StepCount(STEP, kind, c[0], c[1], c[0] - c[1])));
    // App monthly actives: few rows, the unusable ones quarantined one by one.
    long appIn = 0;
    long appOut = 0;
    for (Row a :
        appRows.select("status", "location", "raw", "detail", "data_date").collectAsList()) {
      appIn++;
      if (a.getString(0).equals("used")) {
        appOut++;
      } else {
        quarantined.add(
            RowFactory.create(
                "app_mau",
                a.getString(1),
                a.getString(2),
                a.getString(0),
                a.getString(3),
                1L,
                a.getDate(4)));
      }
    }
    ctx.count(new StepCount(STEP, "app_mau", appIn, appOut, appIn - appOut));
    Quarantine.write(
        ctx,
        STEP,
        spark.createDataFrame(quarantined, Quarantine.DATED_ROWS),
        dates.stream()
            .map(java.time.LocalDate::parse)
            .collect(java.util.stream.Collectors.toCollection(TreeSet::new)));
    LOG.info(
        "  usage_daily: {} date(s) recomputed ({} .. {})",
        dates.size(),
        dates.first(),
        dates.last());
  }

  /** For unknown models: the ids most often seen and how many there were, with the fix; else "". */
  static String unknownIds(Row status) {
    if (status.isNullAt(5)) {
      return "";
    }
    long ids = status.getLong(5);
    List<String> top = status.getList(6);
    return "; model id(s) not in reference/models.csv: "
        + String.join(", ", top)
        + (ids > top.size() ? " and " + (ids - top.size()) + " more" : "")
        + " - add them to models.csv, or correct the log's model_id (ids are matched ignoring case,"
        + " surrounding spaces, a huggingface.co address and an @revision)";
  }

  /** App monthly actives as usage rows dated the first of the month, or a quarantine reason. */
  private static Dataset<Row> appUsage(RunContext ctx, Dataset<Row> mau, CountryResolver resolver) {
    var spark = ctx.spark();
    List<Row> apps = new ArrayList<>();
    InputFiles files = new InputFiles(spark);
    String path = InputFiles.join(ctx.config().input(), "reference/apps.csv");
    if (files.exists(path)) {
      try {
        List<Csv.Record> recs =
            Csv.read(
                new StringReader(new String(files.readAll(path), StandardCharsets.UTF_8)), ',');
        for (Csv.Record rec : recs.subList(1, recs.size())) {
          if (!Csv.isBlank(rec)) {
            apps.add(
                RowFactory.create(rec.fields().get(0), rec.fields().get(1), rec.fields().get(3)));
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    Dataset<Row> appTable = spark.createDataFrame(apps, APPS);
    Dataset<Row> resolved =
        CountryLookup.resolve(
            mau.withColumn("scope", functions.lit("")), "country", "scope", Map.of(), resolver);
    Dataset<Row> rows =
        resolved
            .join(
                functions.broadcast(appTable),
                resolved.col("app").equalTo(appTable.col("app")),
                "left")
            .select(
                functions.expr(MONTH_START).as("date"),
                col("country_iso3"),
                col("app_model_id").as("model_id"),
                col("app_model_id").as("root_model_id"),
                functions.lit(1.0).as("credit"),
                col("app_origin").as("origin_iso3"),
                functions.lit(false).as("open_weights"),
                functions.lit(0.0).as("downloads"),
                functions.lit(0.0).as("requests"),
                functions.lit(0.0).as("tokens_in"),
                functions.lit(0.0).as("tokens_out"),
                functions
                    .expr(
                        "try_cast(regexp_replace(monthly_active_users_raw, '[ ,]', '') AS BIGINT)")
                    .as("active_users"),
                functions.concat_ws(":", col("file"), col("line").cast("string")).as("location"),
                functions
                    .concat_ws(
                        ",",
                        col("month"),
                        resolved.col("app"),
                        col("country"),
                        col("monthly_active_users_raw"))
                    .as("raw"),
                functions
                    .expr(
                        "CASE WHEN "
                            + MONTH_START
                            + " IS NULL THEN 'bad_value'"
                            + " WHEN country_status = 'aggregate' THEN 'aggregate'"
                            + " WHEN country_status = 'ambiguous' THEN 'ambiguous_country'"
                            + " WHEN country_status <> 'resolved' THEN 'unresolved_country'"
                            + " WHEN app_model_id IS NULL THEN 'unknown_model'"
                            + " WHEN try_cast(regexp_replace(monthly_active_users_raw, '[ ,]', '') AS BIGINT) IS NULL"
                            + " OR try_cast(regexp_replace(monthly_active_users_raw, '[ ,]', '') AS BIGINT) < 0 THEN 'bad_value'"
                            + " WHEN try_cast(regexp_replace(monthly_active_users_raw, '[ ,]', '') AS BIGINT) < "
                            + ctx.config().minCountK()
                            + " THEN 'suppressed'"
                            + " ELSE 'used' END")
                    .as("status"),
                functions
                    .concat(
                        functions.lit("country '"),
                        functions.coalesce(col("country"), functions.lit("")),
                        functions.lit("', app '"),
                        functions.coalesce(resolved.col("app"), functions.lit("")),
                        functions.lit("'"))
                    .as("detail"),
                functions
                    .coalesce(functions.expr(MONTH_START), col("partition_date"))
                    .as("data_date"),
                col("partition_date").as("_partition"),
                col("file").as("_file"),
                col("line").as("_line"));
    // One figure per month, app and country: a later delivery replaces an earlier one (a
    // re-sent or revised file), and within one the first line wins (two spellings of a
    // country); the others are duplicates, never added up.
    var copies =
        org.apache.spark.sql.expressions.Window.partitionBy(
                col("date"), col("country_iso3"), col("model_id"), col("status"))
            .orderBy(col("_partition").desc(), col("_file"), col("_line"));
    Column repeated = col("_repeated");
    return rows.withColumn(
            "_repeated",
            col("status").equalTo("used").and(functions.row_number().over(copies).gt(1)))
        .withColumn(
            "detail",
            functions
                .when(
                    repeated,
                    functions.concat(
                        col("detail"),
                        functions.lit(
                            ": the month, app and country are given again by a later delivery or"
                                + " an earlier line, which is the one counted")))
                .otherwise(col("detail")))
        .withColumn("status", functions.when(repeated, "duplicate").otherwise(col("status")))
        .drop("_partition", "_file", "_line", "_repeated");
  }
}
