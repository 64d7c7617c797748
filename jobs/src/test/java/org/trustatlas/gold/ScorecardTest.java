package org.trustatlas.gold;

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

/** Every number here was computed by hand from the definitions in SPEC.md. */
@ExtendWith(SparkTestSession.class)
class ScorecardTest {
  static SparkSession spark;
  static Dataset<Row> card;

  @BeforeAll
  static void build() {
    spark = SparkTestSession.get();
    Dataset<Row> trust =
        spark.sql(
            "SELECT * FROM VALUES"
                + " (2025, 'AAA', 't', 80.0, 75.0, 85.0, 's1:1', array('CC-BY'), true),"
                + " (2025, 'BBB', 't', 70.0, 65.0, 75.0, 's1:1', array('CC-BY'), true),"
                + " (2025, 'CCC', 't', 70.0, 68.0, 72.0, 's1:1', array('CC-BY'), true),"
                + " (2025, 'DDD', 't', 50.0, 45.0, 55.0, 's1:1; s2:1', array('CC-BY', 'all rights reserved'), false),"
                + " (2025, 'EEE', 't', 40.0, 38.0, 42.0, 's1:1', array('CC-BY'), true),"
                + " (2025, 'FFF', 't', 99.0, 98.0, 99.5, 's1:1', array('CC-BY'), true)"
                + " AS t(period, country_iso3, metric, value, ci_low, ci_high, sources, licences, redistributable)");
    Dataset<Row> uptake =
        spark
            .sql(
                "SELECT * FROM VALUES (2025, 'AAA', 'u', 10.0), (2025, 'BBB', 'u', 30.0),"
                    + " (2025, 'CCC', 'u', 20.0), (2025, 'DDD', 'u', 40.0), (2025, 'EEE', 'u', 5.0)"
                    + " AS u(period, country_iso3, metric, value)")
            .selectExpr(
                "*",
                "'logs' AS sources",
                "array('Apache-2.0') AS licences",
                "true AS redistributable");
    Dataset<Row> shares =
        spark.sql(
            "SELECT 2025 AS period, 'AAA' AS country_iso3, 0.5D AS share_cn, 0.25D AS share_us, 0.25D AS share_other");
    Dataset<Row> countries =
        spark.sql(
            "SELECT * FROM VALUES ('AAA', 'A', 'Lower middle income', true), ('BBB', 'B', 'Low income', true),"
                + " ('CCC', 'C', 'Upper middle income', true), ('DDD', 'D', 'High income', false),"
                + " ('EEE', 'E', 'High income', false), ('FFF', 'F', 'High income', false)"
                + " AS c(iso3, short_name, income_group, developing)");
    card = Scorecard.build(trust, uptake, shares, countries).cache();
  }

  @Test
  void ranksWithTiesIntervalsGapsAndQuadrantsAtTheMedian() {
    assertRows(
        card,
        List.of(
            "country_iso3",
            "trust_rank",
            "trust_rank_best",
            "trust_rank_worst",
            "uptake_rank",
            "rank_gap",
            "quadrant",
            "n_countries"),
        row("AAA", 1, 1, 2, 4, 3, "high trust / low uptake", 5),
        row("BBB", 2, 1, 3, 2, 0, "high trust / high uptake", 5),
        row("CCC", 2, 2, 3, 3, 1, "high trust / high uptake", 5),
        row("DDD", 4, 4, 4, 1, -3, "low trust / high uptake", 5),
        row("EEE", 5, 5, 5, 5, 0, "low trust / low uptake", 5));
  }

  @Test
  void provenanceAndRedistributionFollowTheMostRestrictiveLicence() {
    Row d = card.where("country_iso3 = 'DDD'").head();
    assertThat(d.<String>getAs("licences")).isEqualTo("Apache-2.0; CC-BY; all rights reserved");
    assertThat(d.<Boolean>getAs("redistributable")).isFalse();
    assertThat(d.<String>getAs("sources")).isEqualTo("s1:1; s2:1; logs");
    Row a = card.where("country_iso3 = 'AAA'").head();
    assertThat(a.<Boolean>getAs("redistributable")).isTrue();
    assertThat(a.<Double>getAs("share_cn")).isEqualTo(0.5);
  }

  @Test
  void correlationsWithFisherIntervalsAndNoCoefficientBelowFourCountries() {
    Dataset<Row> corr = Scorecard.correlations(card);
    Row all = corr.where("country_group = 'all'").head();
    assertThat(all.<Integer>getAs("n")).isEqualTo(5);
    assertThat(all.<Double>getAs("pearson_r")).isCloseTo(-0.010626278551055638, within(1e-12));
    assertThat(all.<Double>getAs("pearson_ci_low")).isCloseTo(-0.8845994001903945, within(1e-12));
    assertThat(all.<Double>getAs("pearson_ci_high")).isCloseTo(0.8798892930050155, within(1e-12));
    assertThat(all.<Double>getAs("spearman_rho")).isCloseTo(0.051298917604257706, within(1e-12));
    Row developing = corr.where("country_group = 'developing'").head();
    assertThat(developing.<Integer>getAs("n")).isEqualTo(3);
    assertThat(developing.isNullAt(developing.fieldIndex("pearson_r"))).isTrue();
    assertThat(developing.isNullAt(developing.fieldIndex("spearman_rho"))).isTrue();
  }

  @Test
  void asOfTakesTheLatestWaveWithinMaxAgeAndDropsRepublishedFigures() {
    Dataset<Row> measures =
        spark.sql(
            "SELECT * FROM VALUES"
                + " ('IND', 'ipsos', '2023', 2023, 'm', 60.0, DATE'2023-06-09', CAST(NULL AS STRING)),"
                + " ('IND', 'ipsos', '2024', 2024, 'm', 70.0, DATE'2024-05-03', CAST(NULL AS STRING)),"
                + " ('IND', 'stanford', '2025', 2024, 'm', 70.0, DATE'2024-12-01', 'ipsos'),"
                + " ('USA', 'stanford', '2025', 2024, 'm', 39.0, DATE'2024-12-01', 'ipsos'),"
                + " ('IND', 'pew', '2022', 2022, 'm', 10.0, DATE'2022-03-01', CAST(NULL AS STRING))"
                + " AS m(country_iso3, source, wave, period, metric, value, fieldwork_end, republishes)");
    Dataset<Row> periods = spark.sql("SELECT * FROM VALUES (2024), (2025) AS p(period)");
    assertRows(
        Scorecard.latestAsOf(measures, periods, 1),
        List.of("as_of", "country_iso3", "source", "wave"),
        row(2024, "IND", "ipsos", "2024"),
        row(2025, "IND", "ipsos", "2024"),
        row(2024, "USA", "stanford", "2025"),
        row(2025, "USA", "stanford", "2025"));
  }

  @Test
  void modelReachDividesDerivativeByRootDownloads() {
    Dataset<Row> usage =
        spark
            .sql(
                "SELECT * FROM VALUES"
                    + " (DATE'2025-01-10', 'IND', 'r1', 'r1', 100.0D), (DATE'2025-01-10', 'USA', 'd1', 'r1', 300.0D),"
                    + " (DATE'2025-01-11', 'BRA', 'm1', 'r1', 200.0D), (DATE'2025-01-11', 'BRA', 'm1', 'q', 200.0D)"
                    + " AS u(date, country_iso3, model_id, root_model_id, downloads)")
            .selectExpr("*", "true AS open_weights");
    Dataset<Row> models =
        spark.sql(
            "SELECT * FROM VALUES ('r1', 'r1', 'DeepSeek', 'CHN', DATE'2025-01-20'),"
                + " ('d1', 'r1', 'DeepSeek', 'CHN', DATE'2025-01-21'), ('m1', 'r1', 'DeepSeek', 'CHN', NULL),"
                + " ('m1', 'q', 'Alibaba', 'CHN', NULL), ('q', 'q', 'Alibaba', 'CHN', NULL),"
                + " ('late', 'r1', 'DeepSeek', 'CHN', DATE'2026-02-01')"
                + " AS m(model_id, root_model_id, root_developer, origin_iso3, release_date)");
    assertRows(
        Scorecard.modelReach(usage, models),
        List.of(
            "root_model_id",
            "period",
            "derivative_count",
            "root_downloads",
            "derivative_downloads",
            "derivative_multiplier",
            "countries_reached"),
        row("r1", 2025, 2, 100.0, 500.0, 5.0, 3),
        row("q", 2025, 1, 0.0, 200.0, null, 1));
  }
}
