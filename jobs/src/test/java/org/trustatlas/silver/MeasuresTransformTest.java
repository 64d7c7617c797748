package org.trustatlas.silver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.trustatlas.testing.DatasetAssert.assertRows;
import static org.trustatlas.testing.DatasetAssert.row;

import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.trustatlas.testing.SparkTestSession;

@ExtendWith(SparkTestSession.class)
class MeasuresTransformTest {
  static SparkSession spark;
  static MeasuresTransform.Result result;

  @BeforeAll
  static void build() {
    spark = SparkTestSession.get();
    // line, country, status, metric, answer, value as printed
    Dataset<Row> cells =
        spark.sql(
            "SELECT 's' AS source, 'w' AS wave, 'f' AS folder, 'f/data.csv' AS file, line,"
                + " 'col' AS column_name, country_raw, 'q' AS question_raw, answer,"
                + " CAST(NULL AS STRING) AS answer_raw, metric, value_raw,"
                + " n_raw, CAST(NULL AS STRING) AS moe_raw, 'raw' AS raw, 'run' AS run_id,"
                + " iso AS country_iso3, status AS country_status FROM VALUES"
                + " (2, 'A', 'AAA', 'resolved', 'm1', 'agree', '77%', '100'),"
                + " (3, 'B', 'BBB', 'resolved', 'm1', 'agree', '77,0', '100'),"
                + " (4, 'C', 'CCC', 'resolved', 'm1', 'agree', ' 50 % ', '100'),"
                + " (5, 'D', 'DDD', 'resolved', 'm1', 'agree', 'n/a', '100'),"
                + " (6, 'E', 'EEE', 'resolved', 'm1', 'agree', '—', '100'),"
                + " (7, 'F', 'FFF', 'resolved', 'm1', 'agree', '101', '100'),"
                + " (8, 'G', 'GGG', 'resolved', 'm1', 'agree', '-3', '100'),"
                + " (9, 'H', 'HHH', 'resolved', 'm1', 'agree', '<30%', '100'),"
                + " (10, 'Global 28', NULL, 'aggregate', 'm1', 'agree', '49%', '100'),"
                + " (11, 'Congo', NULL, 'ambiguous', 'm1', 'agree', '49%', '100'),"
                + " (12, 'Atlantis', NULL, 'unresolved', 'm1', 'agree', '49%', '100'),"
                + " (13, 'A again', 'AAA', 'resolved', 'm1', 'agree', '70', '100'),"
                + " (14, 'C', 'CCC', 'resolved', 'm1', 'neutral', '20', '100'),"
                + " (15, 'C', 'CCC', 'resolved', 'm1', 'disagree', '30', '100'),"
                + " (16, 'I', 'III', 'resolved', 'm1', 'agree', '', '100'),"
                + " (17, 'J', 'JJJ', 'resolved', 'm1', 'disagree', '40', '100')"
                + " AS v(line, country_raw, iso, status, metric, answer, value_raw, n_raw)");
    Dataset<Row> sources =
        spark.sql(
            "SELECT 's' AS source, 'w' AS wave, 'f' AS folder, 2024 AS period, DATE'2024-01-01' AS"
                + " fieldwork_start, DATE'2024-05-03' AS fieldwork_end, 'online_panel' AS mode, 'CC-BY' AS"
                + " licence, true AS redistributable, CAST(NULL AS STRING) AS republishes, 'P' AS"
                + " publisher, 'u' AS citation_url, 'percent' AS scale, false AS decimal_comma,"
                + " CAST(NULL AS INT) AS n_per_country, CAST(NULL AS INT) AS n_overall,"
                + " CAST(NULL AS MAP<STRING,INT>) AS n_by_country, CAST(NULL AS DOUBLE) AS moe_overall");
    result = MeasuresTransform.build(cells, sources);
  }

  @Test
  void parsesEveryValueFormatAndLabelsEveryCell() {
    assertRows(
        result.cells(),
        List.of("line", "cell_status"),
        row(2, "used"),
        row(3, "used"),
        row(4, "used"),
        row(5, "missing_value"),
        row(6, "missing_value"),
        row(7, "bad_value"),
        row(8, "bad_value"),
        row(9, "bad_value"),
        row(10, "aggregate"),
        row(11, "ambiguous_country"),
        row(12, "unresolved_country"),
        row(13, "duplicate"),
        row(14, "used"),
        row(15, "used"),
        row(16, "missing_value"),
        row(17, "orphan_answer"));
  }

  @Test
  void valuesCarryTheirSharesAndAWilsonInterval() {
    assertRows(
        result.measures(),
        List.of(
            "country_iso3", "value", "neutral_share", "disagree_share", "n", "ci_method", "period"),
        row("AAA", 77.0, null, null, 100, "wilson", 2024),
        row("BBB", 77.0, null, null, 100, "wilson", 2024),
        row("CCC", 50.0, 20.0, 30.0, 100, "wilson", 2024));
    Row c = result.measures().where("country_iso3 = 'CCC'").head();
    // Wilson, p = 0.5, n = 100: [40.3832, 59.6168] (textbook value).
    assertThat(c.<Double>getAs("ci_low")).isCloseTo(40.38315303659956, within(1e-9));
    assertThat(c.<Double>getAs("ci_high")).isCloseTo(59.61684696340044, within(1e-9));
  }
}
