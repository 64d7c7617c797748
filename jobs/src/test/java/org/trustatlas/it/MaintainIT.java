package org.trustatlas.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.delta.tables.DeltaTable;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.trustatlas.contract.Tables;
import org.trustatlas.io.Warehouse;
import org.trustatlas.testing.Cli;
import org.trustatlas.testing.SparkTestSession;
import org.trustatlas.testing.TestInputs;

/**
 * {@code maintain} after two nightly runs: OPTIMIZE compacts what the runs appended, VACUUM keeps
 * the 30-day time-travel window, so the first run's versions still read after it. {@code maintain}
 * and {@code query} get the warehouse as a relative path, like the default {@code warehouse}.
 */
@ExtendWith(SparkTestSession.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MaintainIT {
  static SparkSession spark;
  static String warehouse;
  static String absoluteWarehouse;
  static Warehouse wh;
  static long run1UsageVersion;
  static long run1UsageRows;

  @BeforeAll
  static void twoNightlyRuns() {
    spark = SparkTestSession.get();
    Path base = SparkTestSession.tmp("maintain");
    String input =
        TestInputs.dataSamples(
                base.resolve("input"),
                Set.of("2025-04-19", "2025-04-20"),
                Set.of(
                    "edelman-trust-barometer-2025",
                    "ipsos-ai-monitor-2025",
                    "microsoft-ai-diffusion-2025h2"))
            .toString();
    absoluteWarehouse = base.resolve("wh").toAbsolutePath().toString();
    // maintain and query get the warehouse relative to the working directory, as the default
    // `warehouse` is (Delta's SQL takes delta.`path` only for absolute paths).
    warehouse = Path.of("").toAbsolutePath().relativize(base.resolve("wh")).toString();
    assertThat(Path.of(warehouse).isAbsolute()).isFalse();
    wh = new Warehouse(spark, absoluteWarehouse);

    nightly(input, "2025-04-19");
    Row run = wh.read(Tables.RUNS).head();
    Map<String, Long> out = run.getJavaMap(run.fieldIndex("output_versions"));
    run1UsageVersion = out.get("silver.usage_daily");
    run1UsageRows = wh.read(Tables.USAGE_DAILY).count();
    assertThat(run1UsageRows).isPositive();
    nightly(input, "2025-04-20");
    assertThat(wh.version(Tables.USAGE_DAILY)).isGreaterThan(run1UsageVersion);
    assertThat(wh.read(Tables.RUNS).count()).isEqualTo(2);
  }

  static void nightly(String input, String date) {
    Cli.Result r =
        Cli.run("nightly", "--date", date, "--input", input, "--warehouse", absoluteWarehouse);
    assertThat(r.exitCode()).as(r.err()).isZero();
  }

  @Test
  @Order(1)
  void aRetentionShorterThanTheTimeTravelWindowIsRefused() {
    Cli.Result r = Cli.run("maintain", "--warehouse", warehouse, "--retain-days", "7");
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err()).contains("--retain-days 7").contains("30");
    Cli.Result none =
        Cli.run("maintain", "--warehouse", SparkTestSession.tmp("empty-wh").toString());
    assertThat(none.exitCode()).isEqualTo(2);
    assertThat(none.err()).contains("no tables");
  }

  @Test
  @Order(2)
  void maintainWaitsForNoRunToHoldTheWarehouse() throws Exception {
    // A live run (this process, this host, started now) holds the lock.
    Path lock = Path.of(absoluteWarehouse, "_locks", "run.lock");
    java.nio.file.Files.createDirectories(lock.getParent());
    java.nio.file.Files.writeString(
        lock,
        "{\"run_id\":\"2025-04-21_nightly\",\"pid\":"
            + ProcessHandle.current().pid()
            + ",\"host\":\""
            + java.net.InetAddress.getLocalHost().getHostName()
            + "\",\"started_at\":\""
            + java.time.Instant.now()
            + "\"}");
    long runsVersion = wh.version(Tables.RUNS);
    try {
      Cli.Result r = Cli.run("maintain", "--warehouse", warehouse);
      assertThat(r.exitCode()).as(r.err()).isEqualTo(1);
      assertThat(r.err())
          .contains("another run holds the warehouse")
          .contains("2025-04-21_nightly");
      // Nothing was compacted or vacuumed, and the holder's lock is left alone.
      assertThat(wh.version(Tables.RUNS)).isEqualTo(runsVersion);
      assertThat(lock).exists();
    } finally {
      java.nio.file.Files.delete(lock);
    }
  }

  @Test
  @Order(3)
  void maintainCompactsAndKeepsTimeTravel() {
    String runsPath = wh.path(Tables.RUNS);
    long runsVersionBefore = wh.version(Tables.RUNS);
    Cli.Result r = Cli.run("maintain", "--warehouse", warehouse);
    assertThat(r.exitCode()).as(r.err()).isZero();
    // ops.runs got one small file per run: OPTIMIZE merges the two.
    assertThat(r.out())
        .containsPattern("ops\\.runs\\s+optimize: \\+1 -2 files, vacuum: kept 30 days")
        .contains("silver.usage_daily");
    // OPTIMIZE, then VACUUM START / END; the window was already 30 days, so no property change.
    assertThat(
            DeltaTable.forPath(spark, runsPath)
                .history()
                .where("version > " + runsVersionBefore)
                .orderBy("version")
                .selectExpr("operation")
                .as(Encoders.STRING())
                .collectAsList())
        .containsExactly("OPTIMIZE", "VACUUM START", "VACUUM END");
    assertThat(spark.read().format("delta").load(runsPath).inputFiles()).hasSize(1);

    // Time travel after VACUUM: version 0, and versions whose files OPTIMIZE replaced.
    assertThat(spark.read().format("delta").option("versionAsOf", 0).load(runsPath).count())
        .isZero();
    assertThat(
            spark
                .read()
                .format("delta")
                .option("versionAsOf", runsVersionBefore - 1)
                .load(runsPath)
                .count())
        .isEqualTo(1);
    assertThat(
            spark
                .read()
                .format("delta")
                .option("versionAsOf", run1UsageVersion)
                .load(wh.path(Tables.USAGE_DAILY))
                .count())
        .isEqualTo(run1UsageRows);

    // The same through the query command, by version and at version 0 of every table.
    Cli.Result asOf =
        Cli.run(
            "query",
            "--warehouse",
            warehouse,
            "--format",
            "csv",
            "--as-of",
            String.valueOf(run1UsageVersion),
            "SELECT count(*) AS n, count(DISTINCT date) AS days FROM silver.usage_daily");
    assertThat(asOf.exitCode()).as(asOf.err()).isZero();
    assertThat(asOf.out()).isEqualTo("n,days\n" + run1UsageRows + ",1\n");
    Cli.Result zero =
        Cli.run(
            "query",
            "--warehouse",
            warehouse,
            "--format",
            "csv",
            "--as-of",
            "0",
            "SELECT (SELECT count(*) FROM ops.runs) AS runs,"
                + " (SELECT count(*) FROM gold.country_scorecard) AS card");
    // Version 0 of ops.runs is the empty table; a data table is created by its first write, so
    // its version 0 holds the first run's rows.
    assertThat(zero.exitCode()).as(zero.err()).isZero();
    assertThat(zero.out()).matches("runs,card\n0,[1-9][0-9]*\n");
    Cli.Result inSql =
        Cli.run(
            "query",
            "--warehouse",
            warehouse,
            "--format",
            "csv",
            "SELECT count(*) AS n FROM ops.runs VERSION AS OF " + (runsVersionBefore - 1));
    assertThat(inSql.exitCode()).as(inSql.err()).isZero();
    assertThat(inSql.out()).isEqualTo("n\n1\n");
    Cli.Result history =
        Cli.run("query", "--warehouse", warehouse, "--format", "csv", "DESCRIBE HISTORY ops.runs");
    assertThat(history.exitCode()).as(history.err()).isZero();
    assertThat(history.out()).contains(",OPTIMIZE,").contains(",WRITE,");
    // maintain released its lock: the warehouse is free for the next run.
    assertThat(Path.of(absoluteWarehouse, "_locks", "run.lock")).doesNotExist();
  }

  @Test
  @Order(4)
  void aLongerWindowIsSetAsEveryTablesRetention() {
    Cli.Result r = Cli.run("maintain", "--warehouse", warehouse, "--retain-days", "45");
    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.out()).containsPattern("gold\\.country_scorecard\\s+optimize: .*kept 45 days");
    Row detail = DeltaTable.forPath(spark, wh.path(Tables.COUNTRY_SCORECARD)).detail().head();
    Map<String, String> props = detail.getJavaMap(detail.fieldIndex("properties"));
    assertThat(props)
        .containsEntry("delta.deletedFileRetentionDuration", "interval 45 days")
        .containsEntry("delta.logRetentionDuration", "interval 45 days");
    assertThat(
            spark
                .read()
                .format("delta")
                .option("versionAsOf", run1UsageVersion)
                .load(wh.path(Tables.USAGE_DAILY))
                .count())
        .isEqualTo(run1UsageRows);
  }
}
