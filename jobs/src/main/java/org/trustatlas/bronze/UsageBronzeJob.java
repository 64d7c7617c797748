package org.trustatlas.bronze;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.lit;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.StructType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.trustatlas.config.AtlasConfig;
import org.trustatlas.contract.TableSpec;
import org.trustatlas.contract.Tables;
import org.trustatlas.io.InputFiles;
import org.trustatlas.io.Quarantine;
import org.trustatlas.run.RunContext;
import org.trustatlas.run.Step;
import org.trustatlas.run.StepCount;

/**
 * Lands the usage-log partitions of the run in bronze: typed, with file and line, and with client
 * IPs, user ids and user agents replaced by a salted hash and a user-agent class.
 */
public final class UsageBronzeJob implements Step {
  private static final Logger LOG = LoggerFactory.getLogger(UsageBronzeJob.class);
  public static final String STEP = "bronze.usage";
  public static final List<String> KINDS = List.of("downloads", "api_requests", "app_mau");
  private static final Pattern PARTITION = Pattern.compile("date=(\\d{4}-\\d{2}-\\d{2})");

  static final StructType DOWNLOAD_JSON =
      StructType.fromDDL(
          "request_id STRING, ts STRING, model_id STRING, file STRING, client_ip STRING,"
              + " country_code STRING, user_agent STRING");
  static final StructType API_PARQUET =
      StructType.fromDDL(
          "request_id STRING, ts TIMESTAMP, user_id STRING, model_id STRING, country_code STRING,"
              + " tokens_in INT, tokens_out INT, status INT");
  static final StructType MAU_CSV =
      StructType.fromDDL("month STRING, app STRING, country STRING, monthly_active_users STRING");

  /** User agents of bots and CI jobs (case-insensitive substrings). */
  static final String BOT_UA = "(python-requests|curl/|wget/|go-http-client|bot|spider|crawler)";

  static final String CI_UA = "(github-actions|gitlab-runner|ci=true|jenkins|buildkite|circleci)";

  @Override
  public String name() {
    return STEP;
  }

  /** Partition folders of a kind: date → path. */
  static List<String[]> partitions(InputFiles files, String input, String kind) {
    List<String[]> out = new ArrayList<>();
    for (String folder : files.folders(InputFiles.join(input, "logs/" + kind))) {
      Matcher m = PARTITION.matcher(folder.substring(folder.lastIndexOf('/') + 1));
      if (m.matches()) {
        out.add(new String[] {m.group(1), folder});
      }
    }
    return out;
  }

  /** Usage-log partitions present under the input and not yet processed by a successful run. */
  public static List<LocalDate> pendingPartitions(SparkSession spark, AtlasConfig config) {
    InputFiles files = new InputFiles(spark);
    Set<LocalDate> present = new TreeSet<>();
    for (String kind : KINDS) {
      for (String[] p : partitions(files, config.input(), kind)) {
        present.add(LocalDate.parse(p[0]));
      }
    }
    Set<LocalDate> done = new TreeSet<>();
    var wh = new org.trustatlas.io.Warehouse(spark, config.warehouse());
    if (wh.exists(Tables.RUNS)) {
      for (Row r :
          wh.read(Tables.RUNS)
              .where("status = 'success'")
              .select(functions.explode(col("input_files")))
              .collectAsList()) {
        Matcher m = PARTITION.matcher(r.getString(0));
        if (r.getString(0).contains("/logs/") && m.find()) {
          done.add(LocalDate.parse(m.group(1)));
        }
      }
    }
    present.removeAll(done);
    return List.copyOf(present);
  }

  @Override
  public void run(RunContext ctx) {
    InputFiles files = new InputFiles(ctx.spark());
    Set<String> dates = new TreeSet<>();
    ctx.usagePartitions().forEach(d -> dates.add(d.toString()));
    for (String kind : KINDS) {
      List<String[]> parts =
          partitions(files, ctx.config().input(), kind).stream()
              .filter(p -> dates.contains(p[0]))
              .toList();
      TableSpec spec = spec(kind);
      Dataset<Row> landed = null;
      Dataset<Row> bad = null;
      for (String[] p : parts) {
        for (String file : files.files(p[1])) {
          ctx.input(file);
          Dataset<Row>[] read = read(ctx, kind, LocalDate.parse(p[0]), file);
          landed = landed == null ? read[0] : landed.unionByName(read[0]);
          bad = bad == null ? read[1] : bad.unionByName(read[1]);
        }
      }
      if (dates.isEmpty()) {
        continue;
      }
      String where =
          "partition_date IN ("
              + String.join(", ", dates.stream().map(d -> "DATE'" + d + "'").toList())
              + ")";
      if (landed == null) {
        landed = ctx.spark().createDataFrame(List.of(), spec.schema());
        bad = Quarantine.empty(ctx.spark());
      }
      // Parse once: the landed rows and the rejected lines come from the same cached read.
      Dataset<Row> cachedBad = bad.cache();
      ctx.outputVersion(spec.name(), ctx.warehouse().replace(spec, landed, where));
      Quarantine.write(ctx, STEP + "." + kind, cachedBad);
      long in = ctx.warehouse().read(spec).where(where).count();
      long q = cachedBad.count();
      ctx.count(new StepCount(STEP, kind, in + q, in, q));
      LOG.info(
          "  {}: {} row(s) landed from {} partition(s), {} quarantined", kind, in, parts.size(), q);
      cachedBad.unpersist();
    }
  }

  static TableSpec spec(String kind) {
    return switch (kind) {
      case "downloads" -> Tables.DOWNLOAD_EVENTS;
      case "api_requests" -> Tables.API_REQUESTS;
      default -> Tables.APP_MAU;
    };
  }

  /** [landed rows, quarantine rows] of one file. */
  @SuppressWarnings("unchecked")
  private static Dataset<Row>[] read(RunContext ctx, String kind, LocalDate date, String file) {
    SparkSession spark = ctx.spark();
    String salt = ctx.config().salt();
    // Each file is read alone, so a row's position in its (single) partition is its line number.
    Column line = expr("(monotonically_increasing_id() & 8589934591) + 1");
    Dataset<Row> landed;
    Dataset<Row> bad;
    switch (kind) {
      case "downloads" -> {
        String readable = salvageIfTruncated(ctx, file);
        Dataset<Row> text =
            spark.read().text(readable).withColumn("line", line).withColumn("raw", col("value"));
        Dataset<Row> parsed =
            text.withColumn(
                "j",
                functions.from_json(
                    col("raw"), DOWNLOAD_JSON, java.util.Map.of("mode", "PERMISSIVE")));
        Dataset<Row> ok =
            parsed.where(
                "j IS NOT NULL AND j.request_id IS NOT NULL AND raw RLIKE '^\\\\s*\\\\{.*\\\\}\\\\s*$'");
        bad =
            parsed
                .where(
                    "NOT (j IS NOT NULL AND j.request_id IS NOT NULL AND raw RLIKE '^\\\\s*\\\\{.*\\\\}\\\\s*$')")
                .select(
                    lit("downloads").as("source"),
                    functions.concat(lit(file + ":"), col("line").cast("string")).as("location"),
                    col("raw"),
                    lit("malformed_line").as("reason"),
                    lit("not a complete JSON object (truncated or cut line)").as("detail"),
                    lit(1L).as("row_count"));
        if (!readable.equals(file)) {
          bad =
              bad.unionByName(
                  spark.sql(
                      "SELECT 'downloads' AS source, '"
                          + file.replace("'", "''")
                          + "' AS location, CAST(NULL AS STRING) AS raw, 'truncated_file' AS reason,"
                          + " 'gzip stream ends early: its readable lines were landed, the rest is"
                          + " lost; re-deliver the file' AS detail, CAST(0 AS BIGINT) AS row_count"));
        }
        landed =
            ok.select(
                lit(java.sql.Date.valueOf(date)).as("partition_date"),
                lit(file).as("file"),
                col("line"),
                col("j.request_id").as("request_id"),
                expr("try_to_timestamp(j.ts)").as("ts"),
                expr("to_date(try_to_timestamp(j.ts))").as("event_date"),
                col("j.model_id").as("model_id"),
                col("j.file").as("file_name"),
                hash(salt, col("j.client_ip")).as("client_hash"),
                col("j.country_code").as("country_code"),
                uaClass(col("j.user_agent")).as("ua_class"),
                lit(ctx.runId()).as("run_id"));
      }
      case "api_requests" -> {
        Dataset<Row> pq = spark.read().schema(API_PARQUET).parquet(file).withColumn("line", line);
        landed =
            pq.select(
                lit(java.sql.Date.valueOf(date)).as("partition_date"),
                lit(file).as("file"),
                col("line"),
                col("request_id"),
                col("ts"),
                expr("to_date(ts)").as("event_date"),
                col("model_id"),
                hash(salt, col("user_id")).as("client_hash"),
                col("country_code"),
                col("tokens_in").cast("bigint").as("tokens_in"),
                col("tokens_out").cast("bigint").as("tokens_out"),
                col("status"),
                lit(ctx.runId()).as("run_id"));
        bad = Quarantine.empty(spark);
      }
      default -> {
        Dataset<Row> csv =
            spark
                .read()
                .schema(MAU_CSV)
                .option("header", "true")
                .option("mode", "PERMISSIVE")
                .csv(file)
                .withColumn("line", expr("(monotonically_increasing_id() & 8589934591) + 2"));
        landed =
            csv.select(
                lit(java.sql.Date.valueOf(date)).as("partition_date"),
                lit(file).as("file"),
                col("line"),
                col("month"),
                col("app"),
                col("country"),
                col("monthly_active_users").as("monthly_active_users_raw"),
                lit(ctx.runId()).as("run_id"));
        bad = Quarantine.empty(spark);
      }
    }
    return new Dataset[] {landed, bad};
  }

  /**
   * A gzip file cut short (a crash while copying, a partial upload) makes Spark fail the whole job.
   * Such a file is checked by streaming it once; its readable lines are staged uncompressed under
   * the warehouse and landed from there, and the file is reported in quarantine.
   */
  static String salvageIfTruncated(RunContext ctx, String file) {
    if (!file.endsWith(".gz")) {
      return file;
    }
    var conf = ctx.spark().sparkContext().hadoopConfiguration();
    org.apache.hadoop.fs.Path src = new org.apache.hadoop.fs.Path(file);
    try {
      var fs = src.getFileSystem(conf);
      try (var in = new java.util.zip.GZIPInputStream(fs.open(src), 1 << 16)) {
        in.transferTo(java.io.OutputStream.nullOutputStream());
        return file;
      } catch (java.io.EOFException | java.util.zip.ZipException e) {
        String staged =
            ctx.warehouse().root()
                + "/_staging/"
                + ctx.runId()
                + "/"
                + Integer.toHexString(file.hashCode())
                + "-"
                + src.getName().replace(".gz", "");
        org.apache.hadoop.fs.Path dst = new org.apache.hadoop.fs.Path(staged);
        long bytes = 0;
        try (var in = new java.util.zip.GZIPInputStream(fs.open(src), 1 << 16);
            var out = dst.getFileSystem(conf).create(dst, true)) {
          byte[] buf = new byte[1 << 16];
          for (int n; (n = in.read(buf)) > 0; ) {
            out.write(buf, 0, n);
            bytes += n;
          }
        } catch (java.io.EOFException | java.util.zip.ZipException expected) {
          // everything readable has been copied
        }
        LOG.warn(
            "{} is a truncated gzip file ({}); landing its {} readable bytes",
            file,
            e.getMessage(),
            bytes);
        return staged;
      }
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  private static Column hash(String salt, Column value) {
    return functions
        .when(value.isNull(), lit(null))
        .otherwise(functions.sha2(functions.concat(lit(salt), lit("|"), value), 256));
  }

  static Column uaClass(Column ua) {
    Column lower = functions.lower(ua);
    return functions
        .when(lower.rlike(CI_UA), lit("ci"))
        .when(lower.rlike(BOT_UA), lit("bot"))
        .otherwise(lit("client"));
  }
}
