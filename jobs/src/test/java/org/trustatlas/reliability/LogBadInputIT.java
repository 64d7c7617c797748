package org.trustatlas.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.zip.GZIPOutputStream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.trustatlas.contract.TableSpec;
import org.trustatlas.contract.Tables;
import org.trustatlas.io.Warehouse;
import org.trustatlas.io.WarehouseSalt;
import org.trustatlas.testing.Cli;
import org.trustatlas.testing.SparkTestSession;

/**
 * The bad-input corpus for the three log kinds, run through {@code nightly}: every row lands in
 * silver or in quarantine with the expected reason, no personal data passes bronze, and a re-run
 * changes nothing.
 */
@ExtendWith(SparkTestSession.class)
class LogBadInputIT {
  static SparkSession spark;
  static Path input;
  static Path warehouse;
  static Path config;
  static Warehouse wh;
  static final String R1 = "deepseek-ai/DeepSeek-R1";
  static final String SECRET_UA = "Mozilla/5.0 (X11; secret-agent-4711)";

  static String dl(String id, String ts, String model, String ip, String country, String ua) {
    return "{\"request_id\":\""
        + id
        + "\",\"ts\":"
        + (ts == null ? "null" : "\"" + ts + "\"")
        + ",\"model_id\":\""
        + model
        + "\",\"file\":\"config.json\",\"client_ip\":\""
        + ip
        + "\""
        + (country == null ? "" : ",\"country_code\":\"" + country + "\"")
        + ",\"user_agent\":\""
        + ua
        + "\"}";
  }

  static byte[] gzip(String text) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    try (GZIPOutputStream g = new GZIPOutputStream(b)) {
      g.write(text.getBytes(StandardCharsets.UTF_8));
    }
    return b.toByteArray();
  }

  @BeforeAll
  static void run() throws IOException {
    spark = SparkTestSession.get();
    input = SparkTestSession.tmp("log-corpus");
    warehouse = SparkTestSession.tmp("log-corpus-wh");
    Path ref = Files.createDirectories(input.resolve("reference"));
    Path samples = SparkTestSession.repoRoot().resolve("data-samples/reference");
    Files.copy(samples.resolve("models.csv"), ref.resolve("models.csv"));
    Files.copy(samples.resolve("apps.csv"), ref.resolve("apps.csv"));
    String ua = SECRET_UA;
    List<String> lines = new ArrayList<>();
    lines.add(dl("a1", "2025-01-10T01:00:00.000Z", R1, "203.0.113.1", "IN", ua));
    lines.add(dl("a2", "2025-01-10T02:00:00.000Z", R1, "203.0.113.2", "IN", ua));
    lines.add(dl("a3", "2025-01-10T03:00:00.000Z", R1, "203.0.113.3", "IN", ua));
    lines.add(dl("a3", "2025-01-10T03:00:00.000Z", R1, "203.0.113.3", "IN", ua)); // re-send
    lines.add(
        dl("b1", "2025-01-10T04:00:00.000Z", R1, "203.0.113.4", "IN", "python-requests/2.31.0"));
    lines.add(dl("b2", "2025-01-10T04:00:00.000Z", R1, "203.0.113.5", "IN", "GitHub-Actions/2.0"));
    lines.add(dl("c1", "2025-01-10T05:00:00.000Z", R1, "203.0.113.6", null, ua)); // no country
    lines.add(dl("c2", "2025-01-10T05:00:00.000Z", R1, "203.0.113.7", "usa", ua)); // malformed code
    lines.add(
        dl("m1", "2025-01-10T05:00:00.000Z", "nobody/unknown-model", "203.0.113.8", "IN", ua));
    lines.add(dl("cut", "2025-01-10T06:00:00.000Z", R1, "203.0.113.9", "IN", ua).substring(0, 40));
    lines.add(dl("f1", "2025-03-01T00:00:00.000Z", R1, "203.0.113.10", "IN", ua)); // future
    lines.add(dl("z1", "2025-01-10T10:00:00", R1, "203.0.113.11", "IN", ua)); // no zone = UTC
    lines.add(dl("l1", "2025-01-08T10:00:00.000Z", R1, "203.0.113.12", "IN", ua)); // late
    lines.add(dl("l2", "2025-01-08T11:00:00.000Z", R1, "203.0.113.13", "IN", ua)); // late
    lines.add(dl("t1", "yesterday", R1, "203.0.113.14", "IN", ua)); // bad timestamp
    lines.add(dl("s1", "2025-01-10T12:00:00.000Z", R1, "203.0.113.15", "BR", ua)); // lone client
    Path d10 = Files.createDirectories(input.resolve("logs/downloads/date=2025-01-10"));
    Files.write(d10.resolve("part-00000.jsonl.gz"), gzip(String.join("\n", lines) + "\n"));
    byte[] whole =
        gzip(
            dl("g1", "2025-01-10T13:00:00.000Z", R1, "203.0.113.16", "IN", ua)
                + "\n"
                + dl("g2", "2025-01-10T14:00:00.000Z", R1, "203.0.113.17", "IN", ua)
                + "\n");
    Files.write(
        d10.resolve("part-00001.jsonl.gz"), java.util.Arrays.copyOf(whole, whole.length - 12));
    Files.createDirectories(input.resolve("logs/downloads/date=2025-01-11")); // empty partition
    Path d12 = Files.createDirectories(input.resolve("logs/downloads/date=2025-01-12"));
    Files.write(d12.resolve("part-00000.jsonl.gz"), gzip("")); // empty file

    Path api = input.resolve("logs/api_requests/date=2025-01-10");
    Dataset<Row> apiRows =
        spark.sql(
            "SELECT * FROM VALUES"
                + " ('r1', TIMESTAMP'2025-01-10 01:00:00', 'user-secret-1', 'deepseek-ai/deepseek-chat', 'IN', 10, 20, 200),"
                + " ('r2', TIMESTAMP'2025-01-10 02:00:00', 'user-secret-2', 'deepseek-ai/deepseek-chat', 'IN', 10, 20, 200),"
                + " ('r3', TIMESTAMP'2025-01-10 03:00:00', 'user-secret-3', 'deepseek-ai/deepseek-chat', 'IN', 10, 20, 503),"
                + " ('r4', CAST(NULL AS TIMESTAMP), 'user-secret-4', 'deepseek-ai/deepseek-chat', 'IN', 10, 20, 200),"
                + " ('r5', TIMESTAMP'2025-01-10 05:00:00', 'user-secret-5', 'nobody/unknown', 'IN', 10, 20, 200)"
                + " AS t(request_id, ts, user_id, model_id, country_code, tokens_in, tokens_out, status)");
    apiRows.coalesce(1).write().parquet(api.toString());
    Path mau = Files.createDirectories(input.resolve("logs/app_mau/date=2025-01-01"));
    Files.writeString(
        mau.resolve("app_mau.csv"),
        "month,app,country,monthly_active_users\n2025-01,DeepSeek,Worldwide,33700000\n"
            + "2025-01,DeepSeek,India,\"3,700,000\"\n2025-01,DeepSeek,Brazil,n/a\n"
            + "2025-01,DeepSeek,Malta,1\n2025-01,Foo,India,1000\n");
    config = input.resolve("atlas.yaml");
    Files.writeString(config, "privacy: {min_count_k: 2}\n");
    wh = new Warehouse(spark, warehouse.toString());
    Cli.Result r = nightly();
    assertThat(r.exitCode()).as(r.err()).isZero();
    // 2025-01-01, -10 and -12: the empty partition of the 11th holds nothing to land (it was
    // pending again at every catch-up when pending dates were those with no file read).
    assertThat(r.out()).contains("3 new usage partition(s) 2025-01-01 .. 2025-01-12");
  }

  /** The rows of {@code sql}, to be written as one file. */
  private static org.apache.spark.sql.DataFrameWriter<Row> oneFile(String sql) {
    return spark.sql(sql).coalesce(1).write();
  }

  /** {@code nightly} on the corpus, with {@code more} options. */
  private static Cli.Result nightly(String... more) {
    List<String> args = new ArrayList<>(List.of("nightly"));
    args.addAll(List.of(more));
    args.addAll(
        List.of(
            "--input",
            input.toString(),
            "--warehouse",
            warehouse.toString(),
            "--config",
            config.toString()));
    return Cli.run(args.toArray(String[]::new));
  }

  /** A catch-up {@code nightly} from {@code in} into {@code out}, with the corpus's config. */
  private static Cli.Result nightly(Path in, Path out) {
    return Cli.run(
        "nightly",
        "--input",
        in.toString(),
        "--warehouse",
        out.toString(),
        "--config",
        config.toString());
  }

  /** {@code command} for one date, from {@code in} into {@code out}, with the corpus's config. */
  private static Cli.Result run(String command, String date, Path in, Path out) {
    return Cli.run(
        command,
        "--date",
        date,
        "--input",
        in.toString(),
        "--warehouse",
        out.toString(),
        "--config",
        config.toString());
  }

  private static Map<String, Long> reasons(String step) {
    Map<String, Long> m = new TreeMap<>();
    for (Row r :
        wh.read(Tables.QUARANTINE)
            .where("step = '" + step + "'")
            .groupBy("source", "reason")
            .agg(org.apache.spark.sql.functions.sum("row_count"))
            .collectAsList()) {
      m.put(r.getString(0) + ":" + r.getString(1), r.getLong(2));
    }
    return m;
  }

  @Test
  void everyBadRowIsQuarantinedWithItsReason() {
    assertThat(reasons("bronze.usage.downloads"))
        .containsEntry(
            "downloads:malformed_line", 2L) // the cut line, and the last line of the truncated file
        .containsEntry("downloads:truncated_file", 0L);
    assertThat(reasons("silver.usage_daily"))
        .containsEntry("downloads:duplicate", 1L)
        .containsEntry("downloads:bot", 2L)
        .containsEntry("downloads:unresolved_country", 2L)
        .containsEntry("downloads:unknown_model", 1L)
        .containsEntry("downloads:future_timestamp", 1L)
        .containsEntry("downloads:bad_value", 1L)
        .containsEntry("downloads:suppressed", 1L)
        .containsEntry("api_requests:failed_request", 1L)
        .containsEntry("api_requests:bad_value", 1L)
        .containsEntry("api_requests:unknown_model", 1L)
        .containsEntry("app_mau:aggregate", 1L)
        .containsEntry("app_mau:bad_value", 1L)
        .containsEntry("app_mau:suppressed", 1L)
        .containsEntry("app_mau:unknown_model", 1L);
  }

  @Test
  void quarantineRowsBelongToTheDateOfTheirData() {
    Map<String, String> dates = new TreeMap<>();
    for (Row r :
        wh.read(Tables.QUARANTINE)
            .where("row_count > 0")
            .groupBy("step", "source", "reason")
            .agg(
                org.apache.spark.sql.functions.concat_ws(
                    ",",
                    org.apache.spark.sql.functions.array_sort(
                        org.apache.spark.sql.functions.collect_set(
                            org.apache.spark.sql.functions.col("data_date").cast("string")))))
            .collectAsList()) {
      dates.put(r.getString(0) + "/" + r.getString(1) + ":" + r.getString(2), r.getString(3));
    }
    assertThat(dates)
        // bronze: the partition read; silver: the event's date, its partition's when it has none
        .containsEntry("bronze.usage.downloads/downloads:malformed_line", "2025-01-10")
        .containsEntry("silver.usage_daily/downloads:bad_value", "2025-01-10")
        .containsEntry("silver.usage_daily/api_requests:bad_value", "2025-01-10")
        .containsEntry("silver.usage_daily/downloads:future_timestamp", "2025-03-01")
        .containsEntry("silver.usage_daily/app_mau:aggregate", "2025-01-01");
    // Run-wide steps (surveys, models) keep the run date of the catch-up.
    assertThat(wh.read(Tables.QUARANTINE).where("data_date IS NULL").count()).isZero();
  }

  @Test
  void goodRowsLandOnTheirOwnDatesAndConservationHolds() {
    Dataset<Row> u = wh.read(Tables.USAGE_DAILY);
    // 3 clean + no-zone + 1 salvaged from the truncated file on the 10th; the two late events on
    // the 8th.
    assertThat(
            u.where("date = DATE'2025-01-10' AND country_iso3 = 'IND' AND model_id = '" + R1 + "'")
                .agg(org.apache.spark.sql.functions.sum("downloads"))
                .head()
                .getDouble(0))
        .isEqualTo(5.0);
    assertThat(
            u.where("date = DATE'2025-01-08'")
                .agg(org.apache.spark.sql.functions.sum("downloads"))
                .head()
                .getDouble(0))
        .isEqualTo(2.0);
    assertThat(
            u.where("requests > 0")
                .agg(org.apache.spark.sql.functions.sum("requests"))
                .head()
                .getDouble(0))
        .isEqualTo(2.0);
    assertThat(
            u.where("model_id = 'app:DeepSeek' AND country_iso3 = 'IND'")
                .head()
                .<Long>getAs("active_users"))
        .isEqualTo(3_700_000L);
    Row run = wh.read(Tables.RUNS).head();
    assertThat(run.<String>getAs("status")).isEqualTo("success");
    for (Row c : run.<Row>getList(run.fieldIndex("step_counts"))) {
      assertThat(c.getLong(2))
          .as("%s %s", c.getString(0), c.getString(1))
          .isEqualTo(c.getLong(3) + c.getLong(4));
    }
    assertThat(run.<String>getList(run.fieldIndex("input_files")))
        .anyMatch(f -> f.contains("logs/downloads/date=2025-01-10/part-00001.jsonl.gz"));
  }

  @Test
  void noIpUserIdOrUserAgentPassesBronze() {
    for (TableSpec t : Tables.ALL.values()) {
      if (!wh.exists(t)) {
        continue;
      }
      Dataset<Row> df = wh.read(t);
      for (StructField f : df.schema().fields()) {
        if (f.dataType().equals(DataTypes.StringType)) {
          long leaks =
              df.where(
                      org.apache
                          .spark
                          .sql
                          .functions
                          .col(f.name())
                          .rlike("203\\.0\\.113\\.|user-secret|secret-agent"))
                  .count();
          assertThat(leaks).as(t.name() + "." + f.name()).isZero();
        }
      }
    }
  }

  /**
   * The catch-up ran as 2025-01-12 over four partitions. Re-running its own run date, then a date
   * inside it, must commit nothing anywhere but ops.runs: quarantine rows belong to the dates of
   * their data, so neither re-run loses or repeats the other partitions' rows.
   */
  @Test
  void rerunningADateChangesNoTable() {
    Map<String, Long> reasons = quarantineTotals();
    Map<String, Long> before = new TreeMap<>();
    for (TableSpec t : Tables.ALL.values()) {
      if (!t.equals(Tables.RUNS)) {
        before.put(t.name(), wh.version(t));
      }
    }
    for (String date : List.of("2025-01-12", "2025-01-10")) {
      Cli.Result r = nightly("--date", date);
      assertThat(r.exitCode()).as(r.err()).isZero();
      Map<String, Long> after = new TreeMap<>();
      before.keySet().forEach(n -> after.put(n, wh.version(Tables.ALL.get(n))));
      assertThat(after).as("versions after --date " + date).isEqualTo(before);
      assertThat(quarantineTotals()).as("quarantine after --date " + date).isEqualTo(reasons);
    }
  }

  @Test
  void rejectedLinesBeyondTheirMemoryBudgetAreReadAgainWithTheSameRows() throws IOException {
    // A budget of one byte: the landing cannot hand its rejected lines to the driver and reads
    // them in a second pass; the quarantine rows must be the same as the catch-up's.
    Path other = SparkTestSession.tmp("log-corpus-wh-budget");
    spark.conf().set("spark.atlas.rejectedLinesBudget", "1");
    try {
      Cli.Result r = run("bronze", "2025-01-10", input, other);
      assertThat(r.exitCode()).as(r.err()).isZero();
    } finally {
      spark.conf().unset("spark.atlas.rejectedLinesBudget");
    }
    String rows =
        "step = 'bronze.usage.downloads' AND data_date = DATE'2025-01-10' AND reason ="
            + " 'malformed_line'";
    Function<Warehouse, List<String>> malformed =
        w ->
            w
                .read(Tables.QUARANTINE)
                .where(rows)
                .select("source", "location", "raw", "reason", "detail", "row_count", "data_date")
                .collectAsList()
                .stream()
                .map(Row::toString)
                .sorted()
                .toList();
    List<String> collected = malformed.apply(wh);
    List<String> secondPass = malformed.apply(new Warehouse(spark, other.toString()));
    assertThat(collected).hasSize(2);
    assertThat(secondPass).isEqualTo(collected);
  }

  @Test
  void downloadsSpreadOverTheCoresLandTheSameRowsAndQuarantine() throws IOException {
    // One file per date, fewer than the session's two cores: with no size threshold (and a byte per
    // task) the parsed
    // lines are spread over two tasks; without spreading they stay in the file's one task. A
    // plain file (with a cut line) and a truncated one (salvaged) land the same either way.
    Path in = SparkTestSession.tmp("log-corpus-one-file");
    Path d10 = Files.createDirectories(in.resolve("logs/downloads/date=2025-01-10"));
    Path d13 = Files.createDirectories(in.resolve("logs/downloads/date=2025-01-13"));
    Path corpus = input.resolve("logs/downloads/date=2025-01-10");
    Files.copy(corpus.resolve("part-00000.jsonl.gz"), d10.resolve("part-00000.jsonl.gz"));
    Files.copy(corpus.resolve("part-00001.jsonl.gz"), d13.resolve("part-00000.jsonl.gz"));
    Files.createDirectories(in.resolve("reference"));
    Files.copy(input.resolve("reference/models.csv"), in.resolve("reference/models.csv"));
    Map<String, Warehouse> landed = new TreeMap<>();
    for (String spread : List.of("true", "false")) {
      Path out = SparkTestSession.tmp("log-corpus-spread-" + spread);
      // One salt for both warehouses (each would make its own), so their hashes compare.
      Files.createDirectories(out.resolve(WarehouseSalt.PATH).getParent());
      Files.writeString(out.resolve(WarehouseSalt.PATH), "one-salt-for-both\n");
      spark.conf().set("spark.atlas.compileFromBytes", "0");
      spark.conf().set("spark.atlas.spreadBytesPerTask", "1");
      spark.conf().set("spark.atlas.spreadDownloads", spread);
      try {
        for (String date : List.of("2025-01-10", "2025-01-13")) {
          Cli.Result r = run("bronze", date, in, out);
          assertThat(r.exitCode()).as(r.err()).isZero();
        }
      } finally {
        spark.conf().unset("spark.atlas.compileFromBytes");
        spark.conf().unset("spark.atlas.spreadBytesPerTask");
        spark.conf().unset("spark.atlas.spreadDownloads");
      }
      landed.put(spread, new Warehouse(spark, out.toString()));
    }
    Function<Warehouse, Long> filesOf10 =
        w ->
            (long)
                w.read(Tables.DOWNLOAD_EVENTS)
                    .where("partition_date = DATE'2025-01-10'")
                    .inputFiles()
                    .length;
    assertThat(filesOf10.apply(landed.get("true"))).isEqualTo(2);
    assertThat(filesOf10.apply(landed.get("false"))).isEqualTo(1);
    Function<Warehouse, List<String>> events =
        w ->
            w.read(Tables.DOWNLOAD_EVENTS).drop("run_id").collectAsList().stream()
                .map(Row::toString)
                .sorted()
                .toList();
    Function<Warehouse, List<String>> quarantine =
        w ->
            w
                .read(Tables.QUARANTINE)
                .select("step", "source", "location", "raw", "reason", "detail", "row_count")
                .collectAsList()
                .stream()
                .map(Row::toString)
                .sorted()
                .toList();
    assertThat(events.apply(landed.get("true")))
        .hasSize(16)
        .isEqualTo(events.apply(landed.get("false")));
    // The cut line, the truncated file and its last, partial line.
    assertThat(quarantine.apply(landed.get("true")))
        .hasSize(3)
        .isEqualTo(quarantine.apply(landed.get("false")));
  }

  @Test
  void apiRowsKeepTheirPositionInAFileSplitAmongTasks() throws IOException {
    // A Parquet file of many row groups, read with small splits, is read by several tasks: each
    // row's line must still be its position in the file (request r<n> is row n), not in its task.
    Path in = SparkTestSession.tmp("log-corpus-api-split");
    Path api = in.resolve("logs/api_requests/date=2025-01-10");
    oneFile(
            "SELECT concat('r', id) AS request_id, TIMESTAMP'2025-01-10 01:00:00' AS ts,"
                + " 'u1' AS user_id, 'deepseek-ai/deepseek-chat' AS model_id, 'IN' AS country_code,"
                + " id AS tokens_in, 1L AS tokens_out, 200 AS status FROM range(1, 20001)")
        .option("parquet.block.size", 16384)
        .parquet(api.toString());
    Path out = SparkTestSession.tmp("log-corpus-api-split-wh");
    spark.conf().set("spark.sql.files.maxPartitionBytes", "32768");
    try {
      assertThat(spark.read().parquet(api.toString()).rdd().getNumPartitions()).isGreaterThan(2);
      Cli.Result r = run("bronze", "2025-01-10", in, out);
      assertThat(r.exitCode()).as(r.err()).isZero();
    } finally {
      spark.conf().unset("spark.sql.files.maxPartitionBytes");
    }
    assertThat(
            new Warehouse(spark, out.toString())
                .read(Tables.API_REQUESTS)
                .selectExpr(
                    "count(*)", "count_if(request_id <> concat('r', line))", "count(DISTINCT line)")
                .first()
                .toString())
        .isEqualTo("[20000,0,20000]");
  }

  @Test
  void tokenCountsThatDoNotReadAreNotedAndNeverBecomeZeroOrNegative() {
    // Negative counts were summed into usage_daily (tokens_in -900); text, fractions and counts
    // beyond 64 bits became null in bronze and 0 in silver, without a word.
    Path in = SparkTestSession.tmp("log-corpus-tokens");
    String api = in.resolve("logs/api_requests/date=2025-01-10").toString();
    String row = "'2025-01-10T01:00:00Z', 'u1', 'deepseek-ai/deepseek-chat', 'IN', 200";
    oneFile(
            "SELECT request_id, ts, user_id, model_id, country_code, tokens_in, tokens_out, status"
                + " FROM VALUES ('t1', '12', '7', "
                + row
                + "), ('t2', '1,234', '5', "
                + row
                + "), ('t3', '12.7', '-3', "
                + row
                + "), ('t4', NULL, NULL, "
                + row
                + ") AS t(request_id, tokens_in, tokens_out, ts, user_id, model_id, country_code,"
                + " status)")
        .parquet(api);
    oneFile(
            "SELECT request_id, TIMESTAMP'2025-01-10 01:00:00' AS ts, 'u2' AS user_id,"
                + " 'deepseek-ai/deepseek-chat' AS model_id, 'IN' AS country_code,"
                + " CAST(i AS DECIMAL(20, 0)) AS tokens_in, o AS tokens_out, 200 AS status FROM"
                + " VALUES ('t5', 18446744073709551615BD, 12.7D), ('t6', 100BD, 12.0D)"
                + " AS t(request_id, i, o)")
        .mode("append")
        .parquet(api);
    Path out = SparkTestSession.tmp("log-corpus-tokens-wh");
    Cli.Result r = run("bronze", "2025-01-10", in, out);
    assertThat(r.exitCode()).as(r.err()).isZero();
    Warehouse w = new Warehouse(spark, out.toString());
    assertThat(
            w.read(Tables.API_REQUESTS)
                .orderBy("request_id")
                .selectExpr("request_id", "tokens_in", "tokens_out")
                .collectAsList()
                .toString())
        .isEqualTo(
            "[[t1,12,7], [t2,null,5], [t3,null,null], [t4,null,null], [t5,null,null],"
                + " [t6,100,12]]");
    // Noted, standing for no lost row: the requests count, their unread tokens do not.
    assertThat(
            w
                .read(Tables.QUARANTINE)
                .where("source = 'api_requests'")
                .orderBy("raw")
                .selectExpr(
                    "reason",
                    "row_count",
                    "raw",
                    "startswith(detail, raw || ': not a whole number of tokens')")
                .collectAsList()
                .stream()
                .map(q -> q.mkString(" | "))
                .toList())
        .containsExactly(
            "bad_value | 0 | tokens_in '1,234' | true",
            "bad_value | 0 | tokens_in '12.7', tokens_out '-3' | true",
            "bad_value | 0 | tokens_in '18446744073709551615', tokens_out '12.7' | true");
    // No salt configured: the hashes are salted with the warehouse's own random salt, not with
    // an empty one (sha256("|u1") is reversible by hashing every candidate).
    Path saltFile = out.resolve(WarehouseSalt.PATH);
    assertThat(saltFile).exists();
    String salt = readString(saltFile).strip();
    assertThat(salt).matches("[0-9a-f]{64}");
    assertThat(
            w.read(Tables.API_REQUESTS)
                .where("request_id = 't1'")
                .selectExpr(
                    "client_hash = sha2('" + salt + "|u1', 256)", "client_hash = sha2('|u1', 256)")
                .head()
                .toString())
        .isEqualTo("[true,false]");
  }

  private static String readString(Path p) {
    try {
      return Files.readString(p);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Test
  void otherWritersTypesAndAnEmptyGzipFileLandWithoutFailingTheRun() throws IOException {
    // API Parquet as pandas writes it (64-bit integers) with the time as text, and a zero-byte
    // .gz next to a good downloads file: both used to fail the run (exit 1) on every retry.
    Path in = SparkTestSession.tmp("log-corpus-writers");
    Path api = in.resolve("logs/api_requests/date=2025-01-10");
    oneFile(
            "SELECT * FROM VALUES"
                + " ('w1', '2025-01-10T01:00:00Z', 'u1', 'deepseek-ai/deepseek-chat', 'IN', 10L, 20L, 200L),"
                + " ('w2', 'not a time', 'u2', 'deepseek-ai/deepseek-chat', 'IN', 3000000000L, 5L, 503L)"
                + " AS t(request_id, ts, user_id, model_id, country_code, tokens_in, tokens_out, status)")
        .parquet(api.toString());
    Path dl = Files.createDirectories(in.resolve("logs/downloads/date=2025-01-10"));
    Files.copy(
        input.resolve("logs/downloads/date=2025-01-10/part-00000.jsonl.gz"),
        dl.resolve("part-00000.jsonl.gz"));
    Files.write(dl.resolve("part-00001.jsonl.gz"), new byte[0]);
    // Two objects joined on one line: neither may vanish behind the first.
    String joined =
        dl("j1", "2025-01-10T01:00:00Z", R1, "203.0.113.1", "IN", SECRET_UA)
            + dl("j2", "2025-01-10T01:00:00Z", R1, "203.0.113.1", "IN", SECRET_UA);
    Files.write(
        dl.resolve("part-00002.jsonl.gz"),
        gzip(
            joined
                + "\n"
                + dl("j3", "2025-01-10T02:00:00Z", R1, "203.0.113.2", "IN", "x}{y")
                + "\n"
                // A field given twice: which model is meant is unknown.
                + dl("j4", "2025-01-10T02:00:00Z", R1, "203.0.113.3", "IN", SECRET_UA)
                    .replace(",\"file\":", ",\"model_id\":\"other/model\",\"file\":")
                + "\n"));
    // App actives with a blank line and a quoted number: lines keep their physical numbers.
    Path mau = Files.createDirectories(in.resolve("logs/app_mau/date=2025-01-10"));
    Files.writeString(
        mau.resolve("app_mau.csv"),
        "month,app,country,monthly_active_users\n2025-01,DeepSeek,India,\"3,700,000\"\n\n"
            + "2025-01,DeepSeek,Brazil,n/a\n");
    Path out = SparkTestSession.tmp("log-corpus-writers-wh");
    Cli.Result r = run("bronze", "2025-01-10", in, out);
    assertThat(r.exitCode()).as(r.err()).isZero();
    Warehouse w = new Warehouse(spark, out.toString());
    assertThat(
            w
                .read(Tables.API_REQUESTS)
                .orderBy("request_id")
                .selectExpr("request_id", "CAST(ts AS STRING)", "tokens_in", "tokens_out", "status")
                .collectAsList()
                .stream()
                .map(Row::toString)
                .toList())
        .containsExactly("[w1,2025-01-10 01:00:00,10,20,200]", "[w2,null,3000000000,5,503]");
    assertThat(
            w.read(Tables.QUARANTINE)
                .where("reason = 'truncated_file'")
                .select("location")
                .collectAsList())
        .singleElement()
        .satisfies(q -> assertThat(q.getString(0)).endsWith("part-00001.jsonl.gz"));
    assertThat(
            w.read(Tables.QUARANTINE)
                .where("reason = 'malformed_line' AND location LIKE '%part-00002.jsonl.gz:%'")
                .selectExpr(
                    "substring_index(location, ':', -1) AS line", "detail LIKE '%key given twice%'")
                .orderBy("line")
                .collectAsList())
        .extracting(Row::toString)
        .containsExactly("[1,true]", "[3,true]");
    assertThat(w.read(Tables.DOWNLOAD_EVENTS).where("request_id LIKE 'j%'").count())
        .as("a user agent that merely contains }{ is no joined line")
        .isEqualTo(1);
    assertThat(w.read(Tables.DOWNLOAD_EVENTS).count()).isEqualTo(16);
    assertThat(
            w
                .read(Tables.APP_MAU)
                .orderBy("line")
                .selectExpr("line", "country", "monthly_active_users_raw")
                .collectAsList()
                .stream()
                .map(Row::toString)
                .toList())
        .containsExactly("[2,India,3,700,000]", "[4,Brazil,n/a]");
  }

  @Test
  void pathsNoLandingReadsAreQuarantinedNotSkipped() throws IOException {
    // Beside one good partition: a misspelt kind, a loose file, misnamed partition folders (one
    // of a date that does not exist, which used to stop the catch-up) and a nested folder.
    Path in = SparkTestSession.tmp("log-corpus-strays");
    Path logs = in.resolve("logs");
    Files.createDirectories(in.resolve("reference"));
    Files.copy(input.resolve("reference/models.csv"), in.resolve("reference/models.csv"));
    byte[] good =
        Files.readAllBytes(input.resolve("logs/downloads/date=2025-01-10/part-00000.jsonl.gz"));
    for (String path :
        List.of(
            "downloads/date=2025-01-10/part-00000.jsonl.gz",
            "downloads/date=2025-01-10/hour=03/part-00000.jsonl.gz",
            "downloads/dt=2025-1-13/part-00000.jsonl.gz",
            "downloads/date=2025-02-30/part-00000.jsonl.gz",
            "downloads/part-loose.jsonl.gz",
            "downloads/_SUCCESS",
            "downloads/README.md",
            "NOTES.txt",
            "downloads/.part-00000.jsonl.gz.crc",
            "download/date=2025-01-10/part-00000.jsonl.gz",
            "app_mau/date=2025-1-1/app_mau.csv")) {
      Files.createDirectories(logs.resolve(path).getParent());
      Files.write(logs.resolve(path), good);
    }
    Path out = SparkTestSession.tmp("log-corpus-strays-wh");
    Cli.Result r = nightly(in, out);
    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.out()).contains("1 new usage partition(s)");
    Cli.Result again = run("bronze", "2025-01-10", in, out);
    assertThat(again.exitCode()).as(again.err()).isZero();
    Warehouse w = new Warehouse(spark, out.toString());
    assertThat(
            w
                .read(Tables.QUARANTINE)
                .where("step = 'bronze.usage.paths'")
                .selectExpr(
                    "source",
                    "regexp_extract(location, '/logs/(.*)$', 1)",
                    "reason",
                    "row_count",
                    "CAST(data_date AS STRING)",
                    "detail")
                .orderBy("location")
                .collectAsList()
                .stream()
                .map(q -> q.mkString(" | "))
                .toList())
        .as("once each, however often the date runs")
        .containsExactly(
            "app_mau | app_mau/date=2025-1-1 | unread_path | 0 | 2025-01-10 | folder date=2025-1-1"
                + " is not named date=YYYY-MM-DD with a real date, so nothing in it is read:"
                + " rename it date=2025-01-01",
            "logs | download | unread_path | 0 | 2025-01-10 | logs/download/ is not a log kind,"
                + " so nothing in it is read: did you mean logs/downloads/? the kinds are"
                + " downloads, api_requests, app_mau",
            "downloads | downloads/date=2025-01-10/hour=03 | unread_path | 0 | 2025-01-10 | a"
                + " folder inside a partition folder is not read: move its files up into"
                + " date=2025-01-10/",
            "downloads | downloads/date=2025-02-30 | unread_path | 0 | 2025-01-10 | folder"
                + " date=2025-02-30 is not named date=YYYY-MM-DD with a real date, so nothing in"
                + " it is read: rename it (e.g. date=2025-04-22)",
            "downloads | downloads/dt=2025-1-13 | unread_path | 0 | 2025-01-10 | folder"
                + " dt=2025-1-13 is not named date=YYYY-MM-DD with a real date, so nothing in it"
                + " is read: rename it date=2025-01-13",
            "downloads | downloads/part-loose.jsonl.gz | unread_path | 0 | 2025-01-10 | a file"
                + " outside a date=YYYY-MM-DD partition folder is not read: move it into"
                + " logs/downloads/date=YYYY-MM-DD/");
  }

  @Test
  void aFileThatArrivesAfterItsDateWasRunIsCaughtUp() throws IOException {
    // A catch-up used to skip every date any earlier run had read a file of: a late file, or a
    // log kind delivered later, was never landed without --date.
    Path in = SparkTestSession.tmp("log-corpus-late");
    Files.createDirectories(in.resolve("reference"));
    Files.copy(input.resolve("reference/models.csv"), in.resolve("reference/models.csv"));
    Path d10 = Files.createDirectories(in.resolve("logs/downloads/date=2025-01-10"));
    Files.write(
        d10.resolve("part-00000.jsonl.gz"),
        gzip(dl("early", "2025-01-10T01:00:00Z", R1, "203.0.113.1", "IN", SECRET_UA) + "\n"));
    Path out = SparkTestSession.tmp("log-corpus-late-wh");
    Function<String, Cli.Result> catchUp =
        expected -> {
          Cli.Result r = nightly(in, out);
          assertThat(r.exitCode()).as(r.err()).isZero();
          assertThat(r.out()).contains(expected);
          return r;
        };
    catchUp.apply("1 new usage partition(s) 2025-01-10");
    catchUp.apply("0 new usage partition(s)");
    // A late file; then the same file re-delivered under its own name with new content (a
    // corrected export): the catch-up compared names only, so those rows never landed.
    for (String[] delivery :
        new String[][] {{"late", "[[early], [late]]"}, {"revised", "[[early], [revised]]"}}) {
      Files.write(
          d10.resolve("part-00001.jsonl.gz"),
          gzip(dl(delivery[0], "2025-01-10T02:00:00Z", R1, "203.0.113.2", "IN", SECRET_UA) + "\n"));
      catchUp.apply("1 new usage partition(s) 2025-01-10");
      assertThat(
              new Warehouse(spark, out.toString())
                  .read(Tables.DOWNLOAD_EVENTS)
                  .orderBy("request_id")
                  .select("request_id")
                  .collectAsList()
                  .toString())
          .isEqualTo(delivery[1]);
      catchUp.apply("0 new usage partition(s)");
    }
  }

  @Test
  void filesSparkCannotReadAreReportedAndTheRestLands() throws IOException {
    // Each of these failed the whole run (exit 1, the file unnamed) or landed as lines of binary.
    Path in = SparkTestSession.tmp("log-corpus-unreadable");
    Path dl = Files.createDirectories(in.resolve("logs/downloads/date=2025-01-10"));
    Files.write(
        dl.resolve("part-00000.jsonl.gz"),
        gzip(dl("ok", "2025-01-10T01:00:00Z", R1, "203.0.113.1", "IN", SECRET_UA) + "\n"));
    Files.write(dl.resolve("part-00001.jsonl.zst"), utf8("not a zstd frame\n"));
    Files.write(dl.resolve("part-00002.jsonl.xz"), utf8("\u00fd7zXZ not read as text\n"));
    Path api = Files.createDirectories(in.resolve("logs/api_requests/date=2025-01-10"));
    Files.write(api.resolve("part-00000.parquet"), utf8("request_id,ts\nr1,2025-01-10\n"));
    Path out = SparkTestSession.tmp("log-corpus-unreadable-wh");
    Cli.Result r = run("bronze", "2025-01-10", in, out);
    assertThat(r.exitCode()).as(r.err()).isZero();
    Warehouse w = new Warehouse(spark, out.toString());
    assertThat(w.read(Tables.DOWNLOAD_EVENTS).select("request_id").collectAsList().toString())
        .isEqualTo("[[ok]]");
    assertThat(w.read(Tables.API_REQUESTS).count()).isZero();
    assertThat(
            w
                .read(Tables.QUARANTINE)
                .orderBy("location")
                .selectExpr(
                    "source",
                    "regexp_extract(location, '[^/]+$', 0)",
                    "reason",
                    "row_count",
                    "detail")
                .collectAsList()
                .stream()
                .map(q -> q.mkString(" | "))
                .toList())
        .satisfiesExactly(
            q ->
                assertThat(q)
                    .startsWith(
                        "api_requests | part-00000.parquet | unreadable_file | 0 |"
                            + " not a Parquet file"),
            q ->
                assertThat(q)
                    .startsWith(
                        "downloads | part-00001.jsonl.zst | unreadable_file | 0 |"
                            + " cannot be decompressed here")
                    .endsWith("re-deliver it as .gz (or plain text)"),
            q ->
                assertThat(q)
                    .isEqualTo(
                        "downloads | part-00002.jsonl.xz | unreadable_file | 0 |"
                            + " compressed as .xz, which cannot be read here: re-deliver it as .gz"));
  }

  @Test
  void placeholderAndOutOfRangeTimesAreBadTimestampsAndEpochNumbersReadByTheirUnit()
      throws IOException {
    // A year alone read as 1 January, the epoch, year 12025 (which silver then lost), and API
    // times stored as epoch milliseconds (read as seconds: year 57279): all were taken as times.
    Path in = SparkTestSession.tmp("log-corpus-times");
    Path dl = Files.createDirectories(in.resolve("logs/downloads/date=2025-01-10"));
    List<String> lines = new ArrayList<>();
    for (String ts :
        List.of(
            "2025",
            "2025-04",
            "1970-01-01T00:00:00Z",
            "12025-04-25T10:00:00Z",
            "2025-01-10",
            "2025-01-10T01:00:00+05:30",
            "2025-01-10t01:00:00z")) {
      lines.add(dl("t" + lines.size(), ts, R1, "203.0.113.1", "IN", SECRET_UA));
    }
    Files.write(dl.resolve("part-00000.jsonl.gz"), gzip(String.join("\n", lines) + "\n"));
    oneFile(
            "SELECT * FROM VALUES ('s', 1736470800L), ('ms', 1736470800000L),"
                + " ('us', 1736470800000000L), ('ns', 1736470800000000000L), ('zero', 0L)"
                + " AS t(request_id, ts)")
        .parquet(in.resolve("logs/api_requests/date=2025-01-10").toString());
    Path out = SparkTestSession.tmp("log-corpus-times-wh");
    Cli.Result r = run("bronze", "2025-01-10", in, out);
    assertThat(r.exitCode()).as(r.err()).isZero();
    Warehouse w = new Warehouse(spark, out.toString());
    Function<org.trustatlas.contract.TableSpec, List<String>> times =
        spec ->
            w
                .read(spec)
                .orderBy("line")
                .selectExpr("request_id", "CAST(ts AS STRING)", "event_date")
                .collectAsList()
                .stream()
                .map(Row::toString)
                .toList();
    assertThat(times.apply(Tables.DOWNLOAD_EVENTS))
        .containsExactly(
            "[t0,null,null]",
            "[t1,null,null]",
            "[t2,null,null]",
            "[t3,null,null]",
            "[t4,2025-01-10 00:00:00,2025-01-10]",
            "[t5,2025-01-09 19:30:00,2025-01-09]",
            "[t6,2025-01-10 01:00:00,2025-01-10]");
    assertThat(times.apply(Tables.API_REQUESTS))
        .containsExactly(
            "[s,2025-01-10 01:00:00,2025-01-10]",
            "[ms,2025-01-10 01:00:00,2025-01-10]",
            "[us,2025-01-10 01:00:00,2025-01-10]",
            "[ns,2025-01-10 01:00:00,2025-01-10]",
            "[zero,null,null]");
  }

  @Test
  void appActivesGivenTwiceAreCountedOnce() throws IOException {
    // A month re-sent (revised) in a later partition, and a country under two spellings in one
    // file: both were added up in silver.usage_daily.
    Path in = SparkTestSession.tmp("log-corpus-mau-twice");
    Files.createDirectories(in.resolve("reference"));
    for (String f : List.of("models.csv", "apps.csv")) {
      Files.copy(input.resolve("reference/" + f), in.resolve("reference/" + f));
    }
    String header = "month,app,country,monthly_active_users\n";
    Path first = Files.createDirectories(in.resolve("logs/app_mau/date=2025-01-01"));
    Files.writeString(
        first.resolve("app_mau.csv"),
        header
            + "2025-01,DeepSeek,India,1000000\n2025-01,DeepSeek,South Korea,500000\n"
            + "2025-01,DeepSeek,\"Korea, Republic of\",600000\n"
            // A year is no month (it read as January).
            + "2025,DeepSeek,Brazil,700000\n");
    Path revised = Files.createDirectories(in.resolve("logs/app_mau/date=2025-01-15"));
    Files.writeString(revised.resolve("app_mau.csv"), header + "2025-01,DeepSeek,India,1100000\n");
    Path out = SparkTestSession.tmp("log-corpus-mau-twice-wh");
    Cli.Result r = nightly(in, out);
    assertThat(r.exitCode()).as(r.err()).isZero();
    Warehouse w = new Warehouse(spark, out.toString());
    assertThat(
            w.read(Tables.USAGE_DAILY)
                .where("model_id = 'app:DeepSeek'")
                .orderBy("country_iso3")
                .selectExpr("country_iso3", "active_users")
                .collectAsList()
                .toString())
        .isEqualTo("[[IND,1100000], [KOR,500000]]");
    assertThat(
            w.read(Tables.QUARANTINE)
                .where("reason = 'duplicate'")
                .selectExpr("regexp_extract(location, 'date=.*$', 0)")
                .orderBy("location")
                .collectAsList()
                .toString())
        .isEqualTo("[[date=2025-01-01/app_mau.csv:2], [date=2025-01-01/app_mau.csv:4]]");
    assertThat(
            w.read(Tables.QUARANTINE)
                .where("step = 'silver.usage_daily' AND reason = 'bad_value'")
                .selectExpr("regexp_extract(location, 'date=.*$', 0)")
                .collectAsList()
                .toString())
        .isEqualTo("[[date=2025-01-01/app_mau.csv:5]]");
  }

  @Test
  void appActivesAreReadByTheirHeaderAndAFileWithoutOneIsQuarantinedWhole() throws IOException {
    // Line 1 was dropped as the header whatever it held, and columns were read by position.
    Path in = SparkTestSession.tmp("log-corpus-mau-header");
    Path mau = Files.createDirectories(in.resolve("logs/app_mau/date=2025-02-01"));
    Files.writeString(
        mau.resolve("a-reordered.csv"),
        "App, Month ,monthly_active_users,country,note\nDeepSeek,2025-02,1100000,India,x\n");
    Files.writeString(
        mau.resolve("b-no-header.csv"),
        "2025-02,DeepSeek,India,1100000\n\n2025-02,DeepSeek,Kenya,200000\n");
    Files.writeString(
        mau.resolve("c-semicolons.csv"),
        "month;app;country;monthly_active_users\n2025-02;DeepSeek;India;5\n");
    Path out = SparkTestSession.tmp("log-corpus-mau-header-wh");
    Cli.Result r = run("bronze", "2025-02-01", in, out);
    assertThat(r.exitCode()).as(r.err()).isZero();
    Warehouse w = new Warehouse(spark, out.toString());
    assertThat(
            w.read(Tables.APP_MAU)
                .selectExpr(
                    "regexp_extract(file, '[^/]+$', 0)",
                    "line",
                    "month",
                    "app",
                    "country",
                    "monthly_active_users_raw")
                .collectAsList()
                .toString())
        .isEqualTo("[[a-reordered.csv,2,2025-02,DeepSeek,India,1100000]]");
    assertThat(
            w
                .read(Tables.QUARANTINE)
                .orderBy("location")
                .selectExpr(
                    "regexp_extract(location, '[^/]+$', 0)", "reason", "row_count", "detail")
                .collectAsList()
                .stream()
                .map(q -> q.mkString(" | "))
                .toList())
        .containsExactly(
            "b-no-header.csv | schema_mismatch | 2 | line 1 is not the header"
                + " month,app,country,monthly_active_users (comma-separated, any order): it lacks"
                + " month, app, country, monthly_active_users (line 1: [2025-02, deepseek, india,"
                + " 1100000]); no line of the file was read: add the header or fix the delimiter,"
                + " and re-deliver",
            "c-semicolons.csv | schema_mismatch | 2 | line 1 is not the header"
                + " month,app,country,monthly_active_users (comma-separated, any order): it lacks"
                + " month, app, country, monthly_active_users (line 1:"
                + " [month;app;country;monthly_active_users]); no line of the file was read: add"
                + " the header or fix the delimiter, and re-deliver");
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void aMistypedInputFolderIsRefusedBeforeAnyTableIsWritten() {
    Map<String, Long> before = new TreeMap<>();
    for (var spec : Tables.ALL.values()) {
      before.put(spec.name(), wh.version(spec));
    }
    Path missing = input.resolveSibling(input.getFileName() + "-typo");
    for (String command : List.of("nightly", "bronze", "silver")) {
      Cli.Result r = run(command, "2025-01-10", missing, warehouse);
      assertThat(r.exitCode()).as(command).isEqualTo(2);
      assertThat(r.err()).contains("input folder " + missing).contains("does not exist");
    }
    for (var spec : Tables.ALL.values()) {
      assertThat(wh.version(spec)).as(spec.name()).isEqualTo(before.get(spec.name()));
    }
  }

  /** Quarantined rows per step, source, reason and data date. */
  private static Map<String, Long> quarantineTotals() {
    Map<String, Long> m = new TreeMap<>();
    for (Row r :
        wh.read(Tables.QUARANTINE)
            .groupBy("step", "source", "reason", "data_date")
            .agg(org.apache.spark.sql.functions.sum("row_count"))
            .collectAsList()) {
      m.put(
          r.getString(0) + "/" + r.getString(1) + ":" + r.getString(2) + "@" + r.get(3),
          r.getLong(4));
    }
    return m;
  }
}
