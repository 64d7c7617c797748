package org.trustatlas.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.trustatlas.contract.TableSpec;
import org.trustatlas.testing.SparkTestSession;

/** Writes that commit only what changed, on real Delta tables. */
@ExtendWith(SparkTestSession.class)
class WarehouseTest {
  static SparkSession spark;

  static final TableSpec SPEC =
      new TableSpec(
              "silver.warehouse_test",
              "rows for the warehouse test",
              StructType.fromDDL(
                  "day DATE NOT NULL COMMENT 'partition', n INT COMMENT 'a number',"
                      + " run_id STRING COMMENT 'ingest metadata'"),
              List.of("day"),
              List.of("day", "n"),
              Map.of("n_positive", "n IS NULL OR n > 0"))
          .withStatsColumns("n");

  /** {@link #SPEC} as an older version wrote it: without run_id. */
  static final TableSpec OLDER =
      new TableSpec(
          SPEC.name(),
          SPEC.comment(),
          StructType.fromDDL("day DATE NOT NULL COMMENT 'partition', n INT COMMENT 'a number'"),
          List.of("day"),
          List.of("day", "n"),
          Map.of());

  @BeforeAll
  static void session() {
    spark = SparkTestSession.get();
  }

  static Dataset<Row> rows(String day, String runId, int... ns) {
    StringBuilder sql = new StringBuilder("SELECT * FROM VALUES ");
    for (int i = 0; i < ns.length; i++) {
      sql.append(i == 0 ? "" : ", ")
          .append("(DATE'")
          .append(day)
          .append("', ")
          .append(ns[i])
          .append(", '")
          .append(runId)
          .append("')");
    }
    return spark.sql(sql + " AS t(day, n, run_id)");
  }

  @Test
  void aTableWrittenByAnOlderVersionGetsTheNewContractColumns() {
    Warehouse wh = new Warehouse(spark, SparkTestSession.tmp("wh-upgrade").toString());
    TableSpec older = OLDER;
    wh.replace(older, rows("2025-01-01", "r1", 1, 2).drop("run_id"), "day = DATE'2025-01-01'");

    Warehouse.Written w = wh.replace(SPEC, rows("2025-01-02", "r2", 3), "day = DATE'2025-01-02'");
    assertThat(w.committed()).isTrue();
    Dataset<Row> all = wh.read(SPEC);
    assertThat(all.columns()).containsExactly("day", "n", "run_id");
    assertThat(all.schema().apply("run_id").getComment().get()).isEqualTo("ingest metadata");
    assertThat(all.where("run_id IS NULL").count()).isEqualTo(2); // written before the column
    assertThat(all.where("run_id = 'r2'").count()).isEqualTo(1);
  }

  @Test
  void createsOnceThenCommitsOnlyChangedSlices() {
    Warehouse wh = new Warehouse(spark, SparkTestSession.tmp("wh").toString());
    String day1 = "day = DATE'2025-01-01'";

    Warehouse.Written first = wh.replace(SPEC, rows("2025-01-01", "r1", 1, 2, 3), day1);
    assertThat(first).isEqualTo(new Warehouse.Written(0, 3, true));

    // Same rows from another run: run_id is not a change, nothing is committed.
    Warehouse.Written again = wh.replace(SPEC, rows("2025-01-01", "r2", 3, 2, 1), day1);
    assertThat(again).isEqualTo(new Warehouse.Written(0, 3, false));

    // A new slice into an existing table: written without comparing, count from the commit.
    Warehouse.Written day2 =
        wh.replace(SPEC, rows("2025-01-02", "r2", 5, 6), "day = DATE'2025-01-02'", false);
    assertThat(day2).isEqualTo(new Warehouse.Written(1, 2, true));

    // A changed slice is replaced; the other slice stays.
    Warehouse.Written changed = wh.replace(SPEC, rows("2025-01-01", "r3", 1, 2), day1);
    assertThat(changed).isEqualTo(new Warehouse.Written(2, 2, true));
    assertThat(wh.read(SPEC).count()).isEqualTo(4);

    // Nothing into an empty slice: no commit.
    Warehouse.Written empty =
        wh.replace(SPEC, rows("2025-01-03", "r3", 1).where("false"), "day = DATE'2025-01-03'");
    assertThat(empty).isEqualTo(new Warehouse.Written(2, 0, false));
    assertThat(wh.version(SPEC)).isEqualTo(2);
  }

  @Test
  void theCreatedTableCarriesTheContract() {
    Warehouse wh = new Warehouse(spark, SparkTestSession.tmp("wh").toString());
    wh.replace(SPEC, rows("2025-01-01", "r1", 1), null);
    Row detail =
        spark
            .sql("DESCRIBE DETAIL delta.`" + wh.path(SPEC) + "`")
            .select("partitionColumns", "description", "properties")
            .head();
    assertThat(detail.getList(0)).containsExactly("day");
    assertThat(detail.getString(1)).isEqualTo("rows for the warehouse test");
    Map<String, String> props = detail.getJavaMap(2);
    assertThat(props)
        .containsEntry("delta.enableChangeDataFeed", "true")
        .containsEntry("delta.constraints.n_positive", "n IS NULL OR n > 0")
        .containsKey("delta.constraints.day_not_null")
        .containsEntry("delta.dataSkippingStatsColumns", "n");
    assertThat(wh.read(SPEC).schema().apply("n").getComment().get()).isEqualTo("a number");

    // Both kinds of constraint are enforced, and a failed write commits nothing.
    assertThatThrownBy(() -> wh.replace(SPEC, rows("2025-01-01", "r2", -1), null))
        .hasMessageContaining("n_positive");
    assertThatThrownBy(
            () ->
                wh.replace(
                    SPEC, spark.sql("SELECT CAST(NULL AS DATE) day, 1 n, 'r2' run_id"), null))
        .hasMessageContaining("day_not_null");
    assertThat(wh.version(SPEC)).isZero();
  }

  @Test
  void changedPeriodsOnlyAreRewritten() {
    Warehouse wh = new Warehouse(spark, SparkTestSession.tmp("wh").toString());
    TableSpec spec =
        new TableSpec(
            "gold.warehouse_test_periods",
            "periods",
            StructType.fromDDL("period INT NOT NULL, v DOUBLE"),
            List.of("period"),
            List.of("period"),
            Map.of());
    Dataset<Row> v1 = spark.sql("SELECT * FROM VALUES (2024, 1.0D), (2025, 2.0D) AS t(period, v)");
    assertThat(wh.replaceChanged(spec, v1, "period")).isEqualTo(new Warehouse.Written(0, 2, true));
    assertThat(wh.replaceChanged(spec, v1, "period")).isEqualTo(new Warehouse.Written(0, 2, false));
    Dataset<Row> v2 = spark.sql("SELECT * FROM VALUES (2024, 1.0D), (2025, 3.0D) AS t(period, v)");
    assertThat(wh.replaceChanged(spec, v2, "period")).isEqualTo(new Warehouse.Written(1, 2, true));
    // Only 2025 was rewritten: the commit removed one file and added one.
    Row op =
        spark
            .sql("DESCRIBE HISTORY delta.`" + wh.path(spec) + "` LIMIT 1")
            .select("operationParameters")
            .head();
    assertThat(op.<String, String>getJavaMap(0).get("predicate")).contains("2025");
  }

  @Test
  void aWarehousePathWithQuotesAndBackslashesWorksThroughTheSqlItIsWrittenInto() {
    // The jobs name tables by path in SQL text (delta.`path`, LOCATION '…').
    String root = SparkTestSession.tmp("wh").resolve("it's `odd` \\ here").toString();
    Warehouse wh = new Warehouse(spark, root);
    TableSpec older = OLDER;
    wh.replace(older, rows("2025-01-01", "r1", 1).drop("run_id"), "day = DATE'2025-01-01'");
    wh.replace(SPEC, rows("2025-01-02", "r2", 3), "day = DATE'2025-01-02'");
    assertThat(wh.read(SPEC).count()).isEqualTo(2);

    wh.ensure(org.trustatlas.contract.Tables.COUNTRIES);
    for (String asOf : new String[] {null, "0"}) {
      assertThat(TimeTravel.registerCatalog(wh, asOf)).containsKey("silver.countries");
      assertThat(spark.sql("SELECT count(*) FROM silver.countries").first().getLong(0)).isZero();
    }
  }
}
