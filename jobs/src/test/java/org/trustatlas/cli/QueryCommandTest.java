package org.trustatlas.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.trustatlas.contract.Tables;
import org.trustatlas.io.Warehouse;
import org.trustatlas.testing.Cli;
import org.trustatlas.testing.SparkTestSession;

/**
 * {@code atlas query} reads and never writes: a statement that would change anything is refused.
 */
@ExtendWith(SparkTestSession.class)
class QueryCommandTest {
  static SparkSession spark;
  static Warehouse wh;
  static String warehouse;

  @BeforeAll
  static void quarantineWithOneBotRow() {
    spark = SparkTestSession.get();
    warehouse = SparkTestSession.tmp("query-wh").toString();
    wh = new Warehouse(spark, warehouse);
    wh.appendOnce(
        Tables.QUARANTINE,
        spark.sql(
            "SELECT 'r1' AS run_id, DATE'2025-04-20' AS run_date, 'bronze.usage' AS step,"
                + " 'downloads' AS source, 'f.jsonl:1' AS location, '{}' AS raw, 'bot' AS reason,"
                + " 'a bot' AS detail, 1L AS row_count, DATE'2025-04-20' AS data_date"),
        "query-test",
        1);
  }

  static Cli.Result query(String... args) {
    String[] all = new String[args.length + 3];
    all[0] = "query";
    all[1] = "--warehouse";
    all[2] = warehouse;
    System.arraycopy(args, 0, all, 3, args.length);
    return Cli.run(all);
  }

  @Test
  void exportsHoldEveryRowAndATableSaysWhenItIsCut() {
    // csv and json stopped at 1000 rows without a word: an export lost the rest.
    Cli.Result csv = query("--format", "csv", "SELECT id FROM range(1500) ORDER BY id");
    assertThat(csv.exitCode()).as(csv.err()).isZero();
    assertThat(csv.out().lines().toList()).hasSize(1501).endsWith("1499");
    Cli.Result json = query("--format", "json", "SELECT id FROM range(1500)");
    assertThat(json.out().lines().count()).isEqualTo(1500);
    assertThat(query("--format", "csv", "--limit", "3", "SELECT id FROM range(10)").out())
        .isEqualTo("id\n0\n1\n2\n");
    Cli.Result table = query("SELECT id FROM range(1500)");
    assertThat(table.out()).contains("(1000 rows; more exist: --limit N prints more");
    assertThat(query("SELECT id FROM range(1000)").out()).contains("(1000 rows)\n");
  }

  @Test
  void misspeltExpectationsAndUptakeMetricsStopTheRun() throws java.io.IOException {
    // A misspelt expectation left its gate at the default level (exit 0, no word).
    Path dir = SparkTestSession.tmp("query-config");
    Path typo = dir.resolve("typo.yaml");
    java.nio.file.Files.writeString(
        typo, "quality:\n  expectations:\n    models_root_has_orgin: fail\n");
    Cli.Result r = query("--config", typo.toString(), "SELECT 1");
    assertThat(r.exitCode()).as(r.err()).isEqualTo(2);
    assertThat(r.err())
        .contains("quality.expectations.models_root_has_orgin")
        .contains("did you mean 'models_root_has_origin'");
    Path uptake = dir.resolve("uptake.yaml");
    java.nio.file.Files.writeString(
        uptake, "gold: {primary_uptake_metric: open_download_per_100k}\n");
    r = query("--config", uptake.toString(), "SELECT 1");
    assertThat(r.exitCode()).as(r.err()).isEqualTo(2);
    assertThat(r.err()).contains("did you mean 'open_downloads_per_100k'");
    // The example configuration names only what exists.
    r =
        query(
            "--config",
            SparkTestSession.repoRoot().resolve("atlas.example.yaml").toString(),
            "SELECT 1 AS one");
    assertThat(r.exitCode()).as(r.err()).isZero();
  }

  @Test
  void aRunDateInTheFutureIsRefused() {
    Cli.Result r = Cli.run("silver", "--date", "2999-01-01", "--warehouse", warehouse);
    assertThat(r.exitCode()).as(r.err()).isEqualTo(2);
    assertThat(r.err()).contains("--date '2999-01-01'").contains("in the future");
  }

  @Test
  void jsonWritesArraysMapsAndStructsAsJson() {
    Cli.Result r =
        query(
            "--format",
            "json",
            "SELECT array('a', 'b') AS a, map('k', 1L) AS m, named_struct('x', 1, 'y', array(2))"
                + " AS s, TIMESTAMP'2025-04-20 10:00:00' AS t, DATE'2025-04-20' AS d");
    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.out().strip())
        .isEqualTo(
            "{\"a\":[\"a\",\"b\"],\"m\":{\"k\":1},\"s\":{\"x\":1,\"y\":[2]},"
                + "\"t\":\"2025-04-20T10:00:00Z\",\"d\":\"2025-04-20\"}");
    assertThat(query("--format", "csv", "SELECT array('a', 'b') AS a").out())
        .isEqualTo("a\n\"[\"\"a\"\",\"\"b\"\"]\"\n");
  }

  @Test
  void deleteIsRefusedAndTheTableIsUnchanged() {
    long version = wh.version(Tables.QUARANTINE);
    Cli.Result r = query("DELETE FROM ops.quarantine WHERE reason = 'bot'");
    assertThat(r.exitCode()).as(r.err()).isEqualTo(2);
    assertThat(r.err())
        .contains("atlas query only reads")
        .contains("DELETE FROM ops.quarantine")
        .contains("bin/atlas maintain");
    assertThat(r.out()).doesNotContain("num_affected_rows");
    assertThat(wh.read(Tables.QUARANTINE).count()).isEqualTo(1);
    assertThat(wh.version(Tables.QUARANTINE)).isEqualTo(version);
  }

  @Test
  void insertOverwriteDirectoryIsRefusedAndWritesNothing() {
    Path dir = SparkTestSession.tmp("query-export").resolve("out");
    Cli.Result r =
        query("INSERT OVERWRITE DIRECTORY '" + dir + "' USING csv SELECT * FROM ops.quarantine");
    assertThat(r.exitCode()).as(r.err()).isEqualTo(2);
    assertThat(r.err()).contains("atlas query only reads").contains("--format csv");
    assertThat(dir).doesNotExist();
  }

  @Test
  void everyOtherWriteOrSessionChangeIsRefused() {
    long version = wh.version(Tables.QUARANTINE);
    String[] writes = {
      "UPDATE ops.quarantine SET reason = 'x'",
      "MERGE INTO ops.quarantine t USING ops.quarantine s ON t.run_id = s.run_id"
          + " WHEN MATCHED THEN DELETE",
      "INSERT INTO ops.quarantine SELECT * FROM ops.quarantine",
      "WITH q AS (SELECT * FROM ops.quarantine) INSERT INTO ops.quarantine SELECT * FROM q",
      "CREATE TABLE ops.copy AS SELECT * FROM ops.quarantine",
      "CREATE TABLE ops.empty (a INT)",
      "DROP TABLE ops.quarantine",
      "ALTER TABLE ops.quarantine ADD COLUMN x INT",
      "TRUNCATE TABLE ops.quarantine",
      "OPTIMIZE ops.quarantine",
      "VACUUM ops.quarantine",
      "RESTORE TABLE ops.quarantine TO VERSION AS OF 0",
      "CACHE TABLE ops.quarantine",
      "SET spark.sql.ansi.enabled = false",
      "EXPLAIN DELETE FROM ops.quarantine"
    };
    for (String sql : writes) {
      Cli.Result r = query(sql);
      assertThat(r.exitCode()).as(sql + "\n" + r.err()).isEqualTo(2);
      assertThat(r.err()).as(sql).contains("atlas query only reads");
    }
    assertThat(wh.read(Tables.QUARANTINE).count()).isEqualTo(1);
    assertThat(wh.version(Tables.QUARANTINE)).isEqualTo(version);
    assertThat(spark.conf().get("spark.sql.ansi.enabled")).isEqualTo("true");
    assertThat(spark.catalog().isCached("ops.quarantine")).isFalse();
  }

  @Test
  void queriesTimeTravelAndReadCommandsStillWork() {
    Cli.Result select = query("--format", "csv", "SELECT reason, row_count FROM ops.quarantine");
    assertThat(select.exitCode()).as(select.err()).isZero();
    assertThat(select.out()).isEqualTo("reason,row_count\nbot,1\n");
    // version 0 is the empty table ensure() created, version 1 the row
    Cli.Result inSql =
        query("--format", "csv", "SELECT count(*) AS n FROM ops.quarantine VERSION AS OF 0");
    assertThat(inSql.exitCode()).as(inSql.err()).isZero();
    assertThat(inSql.out()).isEqualTo("n\n0\n");
    Cli.Result asOf =
        query("--format", "csv", "--as-of", "0", "SELECT count(*) AS n FROM ops.quarantine");
    assertThat(asOf.exitCode()).as(asOf.err()).isZero();
    assertThat(asOf.out()).isEqualTo("n\n0\n");
    for (String read :
        new String[] {
          "WITH q AS (SELECT reason FROM ops.quarantine) SELECT * FROM q",
          "DESCRIBE TABLE ops.quarantine",
          "DESCRIBE HISTORY ops.quarantine",
          "SHOW TABLES IN ops",
          "SHOW COLUMNS IN ops.quarantine",
          "EXPLAIN SELECT * FROM ops.quarantine"
        }) {
      Cli.Result r = query(read);
      assertThat(r.exitCode()).as(read + "\n" + r.err()).isZero();
    }
  }

  @Test
  void aSyntaxErrorOrAFailingQueryExitsTwoWithSparksMessage() {
    Cli.Result parse = query("SELEC * FROM ops.quarantine");
    assertThat(parse.exitCode()).isEqualTo(2);
    assertThat(parse.err()).contains("query rejected: [PARSE_SYNTAX_ERROR]");
    Cli.Result divide = query("SELECT 1 / 0 AS x");
    assertThat(divide.exitCode()).as(divide.err()).isEqualTo(2);
    assertThat(divide.err()).contains("query rejected: [DIVIDE_BY_ZERO]");
    Cli.Result missing = query("SELECT * FROM gold.nope");
    assertThat(missing.exitCode()).isEqualTo(2);
    assertThat(missing.err()).contains("TABLE_OR_VIEW_NOT_FOUND").contains("ops.quarantine");
  }
}
