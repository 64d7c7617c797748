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
                + " n_raw, CAST(NULL AS STRING) AS moe_raw, 'raw' AS raw, 'run' AS run_id, CAST(NULL AS INT) AS column_index,"
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
    // A duplicate names the copy that counts (its quarantine detail says so).
    assertRows(
        result.cells().where("kept_at IS NOT NULL"), List.of("line", "kept_at"), row(13, "line 2"));
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

  /**
   * Cells of metric m1 in source s, wave w, folder f, each resolved to {@code iso}; a row is (line,
   * column, iso, answer, printed answer, value, n, MoE) as printed.
   */
  static MeasuresTransform.Result build(boolean decimalComma, String rows) {
    Dataset<Row> cells =
        spark.sql(
            "SELECT 's' AS source, 'w' AS wave, 'f' AS folder, 'f/data.csv' AS file, line,"
                + " column_name, iso AS country_raw, 'q' AS question_raw, answer, answer_raw,"
                + " 'm1' AS metric, value_raw, n_raw, moe_raw, 'raw' AS raw, 'run' AS run_id, CAST(NULL AS INT) AS column_index,"
                + " iso AS country_iso3, 'resolved' AS country_status FROM VALUES "
                + rows
                + " AS v(line, column_name, iso, answer, answer_raw, value_raw, n_raw, moe_raw)");
    Dataset<Row> sources =
        spark.sql(
            "SELECT 's' AS source, 'w' AS wave, 'f' AS folder, 2024 AS period, DATE'2024-01-01' AS"
                + " fieldwork_start, DATE'2024-05-03' AS fieldwork_end, 'online_panel' AS mode,"
                + " 'CC-BY' AS licence, true AS redistributable, CAST(NULL AS STRING) AS"
                + " republishes, 'P' AS publisher, 'u' AS citation_url, 'percent' AS scale, "
                + decimalComma
                + " AS decimal_comma, CAST(NULL AS INT) AS n_per_country, CAST(NULL AS INT) AS"
                + " n_overall, CAST(NULL AS MAP<STRING,INT>) AS n_by_country,"
                + " CAST(NULL AS DOUBLE) AS moe_overall");
    return MeasuresTransform.build(cells, sources);
  }

  @Test
  void aShareWithAMissingOrBadPartIsNotASumOfTheOtherParts() {
    MeasuresTransform.Result r =
        build(
            false,
            // long: two printed answers summed into agree, one of them n/a
            "(2, 'V', 'USA', 'agree', 'Strongly agree', '20%', NULL, NULL),"
                + " (3, 'V', 'USA', 'agree', 'Somewhat agree', 'n/a', NULL, NULL),"
                // wide: two agree columns, one of them unparseable, and a disagree column
                + " (4, 'A1', 'FRA', 'agree', NULL, '15', NULL, NULL),"
                + " (4, 'A2', 'FRA', 'agree', NULL, 'x5', NULL, NULL),"
                + " (4, 'D', 'FRA', 'disagree', NULL, '40', NULL, NULL),"
                // only a disagree part missing: the value stands, disagree_share is unknown
                + " (5, 'A1', 'DEU', 'agree', NULL, '30', NULL, NULL),"
                + " (5, 'A2', 'DEU', 'agree', NULL, '25', NULL, NULL),"
                + " (5, 'D1', 'DEU', 'disagree', NULL, '10', NULL, NULL),"
                + " (5, 'D2', 'DEU', 'disagree', NULL, '—', NULL, NULL),"
                + " (5, 'N', 'DEU', 'neutral', NULL, '20', NULL, NULL),"
                // a missing copy of a part that is also printed usable leaves the sum whole
                + " (6, 'A1', 'ITA', 'agree', NULL, '30', NULL, NULL),"
                + " (7, 'A1', 'ITA', 'agree', NULL, 'n/a', NULL, NULL),"
                + " (6, 'A2', 'ITA', 'agree', NULL, '25', NULL, NULL)");
    assertRows(
        r.measures(),
        List.of("country_iso3", "value", "neutral_share", "disagree_share"),
        row("DEU", 55.0, 20.0, null),
        row("ITA", 55.0, null, null));
    assertRows(
        r.cells(),
        List.of("line", "column_name", "cell_status"),
        row(2, "V", "incomplete_sum"),
        row(3, "V", "missing_value"),
        row(4, "A1", "incomplete_sum"),
        row(4, "A2", "bad_value"),
        row(4, "D", "incomplete_sum"),
        row(5, "A1", "used"),
        row(5, "A2", "used"),
        row(5, "D1", "incomplete_sum"),
        row(5, "D2", "missing_value"),
        row(5, "N", "used"),
        row(6, "A1", "used"),
        row(7, "A1", "missing_value"),
        row(6, "A2", "used"));
  }

  @Test
  void wilsonBoundsStayWithinZeroAndHundredAtTheEdges() {
    MeasuresTransform.Result r =
        build(
            false,
            "(2, 'c', 'AAA', 'agree', NULL, '100%', '1000', NULL),"
                + " (3, 'c', 'BBB', 'agree', NULL, '0%', '1000', NULL),"
                + " (4, 'c', 'CCC', 'agree', NULL, '100', '7', NULL),"
                + " (5, 'c', 'DDD', 'agree', NULL, '0', '3', NULL)");
    // Rounding put the 100 % bound at 100.00000000000003: an interval outside 0-100 is no share.
    Row full = r.measures().where("country_iso3 = 'AAA'").head();
    assertThat(full.<Double>getAs("ci_high")).isEqualTo(100.0);
    assertThat(full.<Double>getAs("ci_low")).isCloseTo(99.6173, within(1e-4));
    Row none = r.measures().where("country_iso3 = 'BBB'").head();
    assertThat(none.<Double>getAs("ci_low")).isCloseTo(0.0, within(1e-9));
    for (Row m : r.measures().collectAsList()) {
      assertThat(m.<String>getAs("ci_method")).isEqualTo("wilson");
      assertThat(m.<Double>getAs("ci_low")).isBetween(0.0, 100.0);
      assertThat(m.<Double>getAs("ci_high")).isBetween(0.0, 100.0);
    }
  }

  @Test
  void onlyPlainNumbersAreValues() {
    MeasuresTransform.Result r =
        build(
            false,
            "(2, 'c', 'AAA', 'agree', NULL, '45d', NULL, NULL),"
                + " (3, 'c', 'BBB', 'agree', NULL, '45f', NULL, NULL),"
                + " (4, 'c', 'CCC', 'agree', NULL, '0x1p4', NULL, NULL),"
                + " (5, 'c', 'DDD', 'agree', NULL, '1e1', NULL, NULL),"
                + " (6, 'c', 'EEE', 'agree', NULL, '45D', NULL, NULL),"
                + " (7, 'c', 'FFF', 'agree', NULL, 'Infinity', NULL, NULL),"
                + " (8, 'c', 'GGG', 'agree', NULL, '+45.5 %', NULL, NULL),"
                + " (9, 'c', 'HHH', 'agree', NULL, '45,5', NULL, NULL)");
    assertRows(
        r.cells(),
        List.of("line", "cell_status"),
        row(2, "bad_value"),
        row(3, "bad_value"),
        row(4, "bad_value"),
        row(5, "bad_value"),
        row(6, "bad_value"),
        row(7, "bad_value"),
        row(8, "used"),
        row(9, "used"));
    assertRows(r.measures(), List.of("country_iso3", "value"), row("GGG", 45.5), row("HHH", 45.5));
  }

  @Test
  void unicodeSpacesAroundAMissingMarkerStillMeanMissing() {
    MeasuresTransform.Result r =
        build(
            false,
            "(2, 'c', 'AAA', 'agree', NULL, 'n/a\u00A0', NULL, NULL),"
                + " (3, 'c', 'BBB', 'agree', NULL, '\u00A0', NULL, NULL),"
                + " (4, 'c', 'CCC', 'agree', NULL, '\u202F—\u2003', NULL, NULL),"
                + " (5, 'c', 'DDD', 'agree', NULL, '\u00A077\u00A0%', NULL, NULL)");
    assertRows(
        r.cells(),
        List.of("line", "cell_status"),
        row(2, "missing_value"),
        row(3, "missing_value"),
        row(4, "missing_value"),
        row(5, "used"));
  }

  @Test
  void sampleSizeAndMarginOfErrorAreReadAsPrinted() {
    MeasuresTransform.Result comma =
        build(
            true,
            "(2, 'c', 'AAA', 'agree', NULL, '50', '1.002', '3,5'),"
                + " (3, 'c', 'BBB', 'agree', NULL, '50', '1\u00A0002', NULL)");
    assertRows(
        comma.measures(),
        List.of("country_iso3", "n", "moe"),
        row("AAA", 1002, 3.5),
        row("BBB", 1002, null));
    MeasuresTransform.Result point =
        build(
            false,
            "(2, 'c', 'AAA', 'agree', NULL, '50', '1,002', '±3.1'),"
                + " (3, 'c', 'BBB', 'agree', NULL, '50', NULL, '+/-2'),"
                + " (4, 'c', 'CCC', 'agree', NULL, '50', NULL, '3.5%'),"
                + " (5, 'c', 'DDD', 'agree', NULL, '50', NULL, '3,5'),"
                + " (6, 'c', 'EEE', 'agree', NULL, '50', 'lots', '2e1')");
    assertRows(
        point.measures(),
        List.of("country_iso3", "n", "moe", "ci_method", "ci_low"),
        row("AAA", 1002, 3.1, "wilson", 46.910037), // Wilson, p = 0.5, n = 1002
        row("BBB", null, 2.0, "moe", 48.0),
        row("CCC", null, 3.5, "moe", 46.5),
        row("DDD", null, 3.5, "moe", 46.5),
        row("EEE", null, null, null, null));
  }
}
