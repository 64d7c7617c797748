package org.trustatlas.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.trustatlas.testing.DatasetAssert.assertRows;
import static org.trustatlas.testing.DatasetAssert.row;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.trustatlas.contract.TableSpec;
import org.trustatlas.contract.Tables;
import org.trustatlas.io.Warehouse;
import org.trustatlas.testing.Cli;
import org.trustatlas.testing.SparkTestSession;

/** The whole pipeline on data-samples/, through the command line, as a newcomer runs it. */
@ExtendWith(SparkTestSession.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PipelineIT {
  static SparkSession spark;
  static Path warehouse;
  static String input;
  static Warehouse wh;
  static final String DATE = "2025-04-20";

  @BeforeAll
  static void runNightly() {
    spark = SparkTestSession.get();
    warehouse = SparkTestSession.tmp("pipeline-wh");
    input = SparkTestSession.repoRoot().resolve("data-samples").toString();
    Cli.Result r =
        Cli.run("nightly", "--date", DATE, "--input", input, "--warehouse", warehouse.toString());
    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.out()).contains("gold.country_scorecard").contains("Top countries by trust");
    wh = new Warehouse(spark, warehouse.toString());
  }

  @Test
  @Order(1)
  void measuresHoldThePublishedFiguresWithIntervals() {
    Dataset<Row> m = wh.read(Tables.COUNTRY_MEASURES);
    assertRows(
        m.where(
            "source = 'ipsos_ai_monitor' AND wave = '2024' AND metric = 'ai_benefits_outweigh_drawbacks'"
                + " AND country_iso3 IN ('CHN', 'IDN', 'USA')"),
        List.of("country_iso3", "value", "ci_method", "ci_low < value", "ci_high > value"),
        row("CHN", 83.0, "wilson", true, true),
        row("IDN", 80.0, "wilson", true, true),
        row("USA", 39.0, "wilson", true, true));
    assertRows(
        m.where(
            "source = 'edelman_trust_barometer' AND wave = '2025' AND metric = 'trust_in_ai'"
                + " AND country_iso3 IN ('IND', 'USA')"),
        List.of("country_iso3", "value", "publisher"),
        row("IND", 77.0, "Edelman"),
        row("USA", 32.0, "Edelman"));
  }

  @Test
  @Order(2)
  void everyAggregateRowIsQuarantinedAsAggregateAndEveryCellIsAccountedFor() {
    Dataset<Row> q = wh.read(Tables.QUARANTINE).where("step = 'silver.country_measures'");
    List<String> aggregates =
        q.where("reason = 'aggregate'")
            .selectExpr("detail")
            .as(org.apache.spark.sql.Encoders.STRING())
            .collectAsList();
    assertThat(aggregates).anyMatch(d -> d.contains("Global Country Average"));
    assertThat(aggregates).anyMatch(d -> d.contains("Global 28") || d.contains("Global (28"));
    assertThat(q.where("reason = 'aggregate' AND detail LIKE '%India%'").count()).isZero();
    Row run =
        wh.read(Tables.RUNS).orderBy(org.apache.spark.sql.functions.desc("started_at")).head();
    assertThat(run.<String>getAs("status")).isEqualTo("success");
    List<Row> counts = run.getList(run.fieldIndex("step_counts"));
    assertThat(counts).isNotEmpty();
    for (Row c : counts) {
      assertThat(c.getLong(2))
          .as("%s %s", c.getString(0), c.getString(1))
          .isEqualTo(c.getLong(3) + c.getLong(4));
    }
    long cells = wh.read(Tables.SURVEY_CELLS).count();
    long used = wh.read(Tables.COUNTRY_MEASURES).count();
    long quarantined = q.agg(org.apache.spark.sql.functions.sum("row_count")).head().getLong(0);
    // Cells that became a measure, plus neutral/disagree cells folded into one, plus quarantined.
    assertThat(cells).isGreaterThanOrEqualTo(used + quarantined);
  }

  @Test
  @Order(3)
  void rerunningTheSameDateChangesNoSilverOrGoldTable() {
    Map<String, Long> before = versions();
    Cli.Result r =
        Cli.run("nightly", "--date", DATE, "--input", input, "--warehouse", warehouse.toString());
    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(versions()).isEqualTo(before);
  }

  @Test
  @Order(4)
  void queryAnswersBySpecNameInEveryFormat() {
    Cli.Result t =
        Cli.run(
            "query",
            "--warehouse",
            warehouse.toString(),
            "SELECT count(*) AS n FROM gold.country_scorecard");
    assertThat(t.exitCode()).as(t.err()).isZero();
    long n = wh.read(Tables.COUNTRY_SCORECARD).count();
    assertThat(n).isPositive();
    assertThat(t.out()).contains(String.valueOf(n)).contains("(1 row)");
    Cli.Result csv =
        Cli.run(
            "query",
            "--warehouse",
            warehouse.toString(),
            "--format",
            "csv",
            "SELECT country_iso3, value FROM silver.country_measures WHERE source = 'edelman_trust_barometer'"
                + " AND wave = '2025' AND country_iso3 = 'IND'");
    assertThat(csv.out()).isEqualTo("country_iso3,value\nIND,77.0\n");
    Cli.Result json =
        Cli.run(
            "query",
            "--warehouse",
            warehouse.toString(),
            "--format",
            "json",
            "SELECT 'IND' AS c, 77.0D AS v");
    assertThat(json.out().strip()).isEqualTo("{\"c\":\"IND\",\"v\":77.0}");
    Cli.Result old =
        Cli.run(
            "query",
            "--warehouse",
            warehouse.toString(),
            "--as-of",
            "0",
            "SELECT count(*) FROM ops.runs");
    // ops.runs is created empty (version 0), then each run appends its row.
    assertThat(old.exitCode()).as(old.err()).isZero();
    assertThat(old.out()).contains("\n0\n");
    Cli.Result now =
        Cli.run("query", "--warehouse", warehouse.toString(), "SELECT count(*) FROM ops.runs");
    assertThat(now.out()).doesNotContain("\n0\n");
  }

  /**
   * Golden output of the gold tables on data-samples/ (run date 2025-04-20). Regenerate only on
   * purpose: {@code mvn verify -Dit.test=PipelineIT -Datlas.golden.update=true}.
   */
  @Test
  @Order(5)
  void goldTablesMatchTheCommittedGoldenOutput() throws Exception {
    String[][] golden = {
      {
        "country_scorecard",
        "SELECT country_iso3, period, trust_metric, uptake_metric, round(trust_value, 6),"
            + " round(trust_ci_low, 6), round(trust_ci_high, 6), trust_rank, trust_rank_best,"
            + " trust_rank_worst, round(uptake_value, 6), uptake_rank, rank_gap, quadrant,"
            + " round(share_cn, 6), round(share_us, 6), income_group, redistributable"
            + " FROM gold.country_scorecard ORDER BY period, trust_metric, uptake_metric, trust_rank, country_iso3"
      },
      {
        "trust_uptake_correlation",
        "SELECT period, trust_metric, uptake_metric, country_group, n, round(pearson_r, 6),"
            + " round(pearson_ci_low, 6), round(pearson_ci_high, 6), round(spearman_rho, 6)"
            + " FROM gold.trust_uptake_correlation ORDER BY 1, 2, 3, 4"
      },
      {
        "model_reach",
        "SELECT root_model_id, period, origin_iso3, derivative_count, round(root_downloads, 6),"
            + " round(derivative_downloads, 6), round(derivative_multiplier, 6), countries_reached"
            + " FROM gold.model_reach ORDER BY 1, 2"
      }
    };
    for (String[] g : golden) {
      Cli.Result r =
          Cli.run(
              "query",
              "--warehouse",
              warehouse.toString(),
              "--format",
              "csv",
              "--limit",
              "1000000",
              g[1]);
      assertThat(r.exitCode()).as(r.err()).isZero();
      Path file =
          SparkTestSession.repoRoot().resolve("jobs/src/test/resources/golden/" + g[0] + ".csv");
      if (Boolean.getBoolean("atlas.golden.update")) {
        Files.createDirectories(file.getParent());
        Files.writeString(file, r.out());
      }
      assertThat(file).as("golden file; create it with -Datlas.golden.update=true").exists();
      assertThat(r.out()).as(g[0]).isEqualTo(Files.readString(file));
    }
  }

  @Test
  @Order(6)
  void exitCodesFollowTheContract() throws Exception {
    Cli.Result badFlag = Cli.run("nightly", "--dat", "2025-01-01");
    assertThat(badFlag.exitCode()).isEqualTo(2);
    assertThat(badFlag.err()).contains("Unknown option").contains("Usage:");
    Cli.Result badDate =
        Cli.run("nightly", "--date", "31/01/2025", "--warehouse", warehouse.toString());
    assertThat(badDate.exitCode()).isEqualTo(2);
    assertThat(badDate.err()).contains("YYYY-MM-DD");
    Path conf = SparkTestSession.tmp("conf").resolve("atlas.yaml");
    Files.writeString(conf, "gold: {primary_trust_metrc: x}\n");
    Cli.Result badConf =
        Cli.run("nightly", "--config", conf.toString(), "--warehouse", warehouse.toString());
    assertThat(badConf.exitCode()).isEqualTo(2);
    assertThat(badConf.err()).contains("gold.primary_trust_metrc").contains("did you mean");
    Cli.Result badSql =
        Cli.run("query", "--warehouse", warehouse.toString(), "SELECT * FROM gold.nope");
    assertThat(badSql.exitCode()).isEqualTo(2);
    Cli.Result help = Cli.run("nightly", "--help");
    assertThat(help.exitCode()).isZero();
    assertThat(help.out()).contains("--date").contains("--warehouse");

    // 3: an expectation set to fail is violated -> nothing of the step is committed.
    Path in = SparkTestSession.tmp("dq-input");
    Files.createDirectories(in.resolve("reference"));
    Files.writeString(
        in.resolve("reference/models.csv"),
        "model_id,family,developer,developer_country,open_weights,licence,release_date,base_model,relation\n"
            + "org/root,F,Org,,true,mit,2025-01-01,,\n");
    Path dqConf = SparkTestSession.tmp("dq-conf").resolve("atlas.yaml");
    Files.writeString(dqConf, "quality: {expectations: {models_root_has_origin: fail}}\n");
    Path dqWh = SparkTestSession.tmp("dq-wh");
    Cli.Result dq =
        Cli.run(
            "silver",
            "--date",
            DATE,
            "--config",
            dqConf.toString(),
            "--input",
            in.toString(),
            "--warehouse",
            dqWh.toString());
    assertThat(dq.exitCode()).as(dq.err()).isEqualTo(3);
    assertThat(dq.err()).contains("models_root_has_origin");
    assertThat(new Warehouse(spark, dqWh.toString()).exists(Tables.MODELS)).isFalse();
    Row failed = new Warehouse(spark, dqWh.toString()).read(Tables.RUNS).head();
    assertThat(failed.<String>getAs("status")).isEqualTo("expectation_failed");

    // 1: anything else that fails, e.g. a warehouse that is a file.
    Path file = Files.createTempFile(SparkTestSession.tmp("f"), "not-a-dir", "");
    Cli.Result fail =
        Cli.run("gold", "--date", DATE, "--input", input, "--warehouse", file.toString());
    assertThat(fail.exitCode()).isEqualTo(1);
  }

  private static Map<String, Long> versions() {
    Map<String, Long> v = new TreeMap<>();
    for (TableSpec t : Tables.ALL.values()) {
      if (t.layer().equals("silver") || t.layer().equals("gold")) {
        v.put(t.name(), wh.version(t));
      }
    }
    return v;
  }
}
