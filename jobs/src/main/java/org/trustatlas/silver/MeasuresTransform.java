package org.trustatlas.silver;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;

/**
 * Survey cells to harmonised measures (SPEC "Value parsing", "Per-source value"): parses values,
 * sums printed answers into agree / neutral / disagree, attaches n and the 95 % interval, and
 * labels every cell that cannot be used with a quarantine reason.
 */
public final class MeasuresTransform {
  /** z for a two-sided 95 % interval. */
  static final double Z = 1.959963984540054;

  /**
   * Unicode whitespace as a regex in a SQL literal: publishers pad with non-breaking (U+00A0) and
   * narrow (U+202F) spaces, which neither SQL trim nor {@code \s} removes.
   */
  private static final String WS = "[\\\\s\\\\p{Z}\\\\x{FEFF}\\\\x{200B}]";

  private MeasuresTransform() {}

  /** Measures and the labelled cells (column {@code cell_status}: used or a reason code). */
  public record Result(Dataset<Row> measures, Dataset<Row> cells) {}

  /**
   * A plain number (optional sign, digits, one decimal mark) in {@code text}, whitespace and %
   * gone, as DOUBLE, else NULL. A regex gate first: a bare cast also takes {@code 45d}, {@code
   * 0x1p4} and {@code 1e1}. With decimal_comma, {@code .} groups thousands and {@code ,} is the
   * decimal mark; without it, {@code 77,5} (one or two decimals) still reads as 77.5 and {@code
   * 1,000} does not.
   */
  static String plainNumber(String text) {
    return "CASE WHEN decimal_comma THEN CASE WHEN "
        + text
        + " RLIKE '^[+-]?([0-9]{1,3}([.][0-9]{3})+|[0-9]+)(,[0-9]+)?$' THEN try_cast(replace(replace("
        + text
        + ", '.', ''), ',', '.') AS DOUBLE) END"
        + " WHEN "
        + text
        + " RLIKE '^[+-]?[0-9]+([.][0-9]+)?$' THEN try_cast("
        + text
        + " AS DOUBLE) WHEN "
        + text
        + " RLIKE '^[+-]?[0-9]+,[0-9]{1,2}$' THEN try_cast(replace("
        + text
        + ", ',', '.') AS DOUBLE) END";
  }

  /** The cells of one metric in one wave of a source. */
  private static final org.apache.spark.sql.expressions.WindowSpec METRIC_IN_WAVE =
      org.apache.spark.sql.expressions.Window.partitionBy(
          functions.col("source"),
          functions.col("wave"),
          functions.col("folder"),
          functions.col("metric"));

  /**
   * True for a usable cell of a metric whose usable shares in the wave, three or more, are all at
   * most 1, none printed with %, one at least strictly between 0 and 1, in a column declared {@code
   * scale: percent}: fractions (0.45 for 45 %) published as shares under 1 %, most likely. The
   * cells are published as printed and noted, not dropped: a table of shares that small can be
   * true.
   */
  private static Column scaleSlip() {
    Column usable = functions.col("status1").isNull();
    Column pct = functions.col("pct");
    return usable
        .and(functions.col("scale").equalTo("percent"))
        .and(functions.max(functions.when(usable, pct)).over(METRIC_IN_WAVE).leq(1))
        .and(functions.count(functions.when(usable, 1)).over(METRIC_IN_WAVE).geq(3))
        .and(
            functions
                .count(functions.when(usable.and(functions.col("has_pct")), 1))
                .over(METRIC_IN_WAVE)
                .equalTo(0))
        .and(
            functions
                .count(functions.when(usable.and(pct.gt(0)).and(pct.lt(1)), 1))
                .over(METRIC_IN_WAVE)
                .gt(0));
  }

  /**
   * For one usable cell of a column declared {@code scale: percent}, printed as a number from 0 to
   * 1 without %, whose value × 100 lies within the range of the metric's other shares in the wave
   * (at least three, all above 1): that range as text ({@code 38-61}), since the cell looks like a
   * fraction among percentages (Chile 0.45 among 38 to 61); else null. A true share under 1 % sits
   * below such a range, not inside it once multiplied.
   */
  private static Column loneFraction() {
    Column usable = functions.col("status1").isNull();
    Column pct = functions.col("pct");
    Column others = functions.when(usable.and(pct.gt(1)), pct);
    Column lo = functions.min(others).over(METRIC_IN_WAVE);
    Column hi = functions.max(others).over(METRIC_IN_WAVE);
    Column lone =
        usable
            .and(functions.col("scale").equalTo("percent"))
            .and(functions.not(functions.col("has_pct")))
            .and(pct.gt(0))
            .and(pct.leq(1))
            .and(functions.count(others).over(METRIC_IN_WAVE).geq(3))
            .and(pct.multiply(100).between(lo, hi));
    return functions.when(lone, functions.concat_ws("-", number(lo), number(hi)));
  }

  /** A share as printed: without a trailing ".0". */
  private static Column number(Column share) {
    return functions.regexp_replace(share.cast("string"), "\\.0$", "");
  }

  /**
   * @param cells bronze.survey_cells with country_iso3 and country_status from the resolver
   * @param sources bronze.survey_sources
   */
  public static Result build(Dataset<Row> cells, Dataset<Row> sources) {
    var spark = cells.sparkSession();
    String c = "mt_cells_" + Math.abs(System.identityHashCode(cells));
    String s = "mt_sources_" + Math.abs(System.identityHashCode(sources));
    cells.createOrReplaceTempView(c);
    sources.createOrReplaceTempView(s);
    Dataset<Row> parsed =
        spark.sql(
            "WITH j AS (SELECT c.*, c.column_name <=> c.country_raw AS header_is_country,"
                + " s.scale, s.decimal_comma, s.n_per_country, s.n_overall,"
                + " s.n_by_country, s.moe_overall, regexp_replace(c.value_raw, '^"
                + WS
                + "+|"
                + WS
                + "+$', '') AS v0, regexp_replace(c.n_raw, '"
                + WS
                + "', '') AS n_txt,"
                // ±3.1, +/-2, +-2, 3,5 (decimal comma), 3.5%
                + " regexp_replace(regexp_replace(c.moe_raw, '"
                + WS
                + "', ''), '^(±|[+]/?-)|%$', '') AS moe_txt FROM "
                + c
                + " c JOIN "
                + s
                + " s USING (source, wave, folder)),"
                + " p AS (SELECT *, v0 IS NULL OR lower(v0) IN ('', 'n/a', 'na', 'n.a.', 'null',"
                + " 'none', '—', '–', '-', '*', '..', '…', 'x') AS is_missing,"
                + " endswith(v0, '%') AS has_pct,"
                + " regexp_replace(regexp_replace(v0, '"
                + WS
                + "', ''), '%$', '') AS v1 FROM j),"
                + " q AS (SELECT *, "
                + plainNumber("v1")
                + " AS num,"
                + " CASE WHEN decimal_comma THEN CASE WHEN n_txt RLIKE"
                + " '^([0-9]{1,3}([.][0-9]{3})+|[0-9]+)$' THEN try_cast(replace(n_txt, '.', '') AS"
                + " INT) END WHEN n_txt RLIKE '^([0-9]{1,3}(,[0-9]{3})+|[0-9]+)$' THEN"
                + " try_cast(replace(n_txt, ',', '') AS INT) END AS n_num,"
                + " "
                + plainNumber("moe_txt")
                + " AS moe_parsed FROM p),"
                + " r AS (SELECT *, CASE WHEN scale = 'fraction' AND NOT has_pct THEN num * 100"
                + " ELSE num END AS pct FROM q)"
                + " SELECT *, CASE"
                + " WHEN country_status = 'aggregate' THEN 'aggregate'"
                + " WHEN country_status = 'ambiguous' THEN 'ambiguous_country'"
                + " WHEN country_status <> 'resolved' OR country_iso3 IS NULL THEN 'unresolved_country'"
                + " WHEN is_missing THEN 'missing_value'"
                + " WHEN pct IS NULL OR isnan(pct) OR pct < 0 OR pct > 100 THEN 'bad_value'"
                + " ELSE NULL END AS pre_status FROM r");
    String pv = "mt_parsed_" + Math.abs(System.identityHashCode(parsed));
    parsed.createOrReplaceTempView(pv);
    // The same country, question and printed answer twice in one wave: keep the first line. In a
    // crosstab the header is the country (SurveyLanding takes both from it), so two columns that
    // resolve to one country ("Great Britain", "United Kingdom"; "China", "Taiwan" rolled up) are
    // one country printed twice, not two parts of a share: the leftmost column is kept whole and
    // the usable cells of the others are duplicates. In wide and long layouts the column is a
    // printed part (A1 + A2 both agree) and is summed.
    Dataset<Row> deduped =
        spark
            .sql(
                "SELECT *, CASE WHEN pre_status IS NULL AND header_is_country AND x_rank > 1"
                    + " THEN 'duplicate' WHEN pre_status IS NULL AND l_rank > 1 THEN 'duplicate'"
                    + " ELSE pre_status END AS status1,"
                    // Where the copy that counts is: named in the duplicate's quarantine detail.
                    + " CASE WHEN pre_status IS NULL AND header_is_country AND x_rank > 1"
                    + " THEN 'column \"' || x_first || '\"' WHEN pre_status IS NULL AND l_rank > 1"
                    + " THEN 'line ' || l_first END AS kept_at FROM (SELECT *,"
                    + " dense_rank() OVER x AS x_rank, first_value(column_name) OVER x AS x_first,"
                    + " row_number() OVER l AS l_rank, first_value(line) OVER l AS l_first FROM "
                    + pv
                    + " WINDOW x AS (PARTITION BY source, wave, folder, country_iso3,"
                    + " header_is_country ORDER BY column_index, column_name),"
                    + " l AS (PARTITION BY source, wave, country_iso3, metric, column_name,"
                    + " question_raw, answer, coalesce(answer_raw, ''), (pre_status IS NULL)"
                    + " ORDER BY line, column_name))")
            .drop("x_rank", "x_first", "l_rank", "l_first")
            .withColumn("scale_slip", scaleSlip())
            .withColumn("lone_fraction", loneFraction())
            // Read twice below (sums, labels): parsed, joined and windowed once.
            .localCheckpoint();
    String dv = "mt_dedup_" + Math.abs(System.identityHashCode(deduped));
    deduped.createOrReplaceTempView(dv);
    // Per country x metric: the agree share is the value; neutral and disagree complete it. A
    // share summed from printed parts (columns, answers) is known only when every part is: a part
    // with no usable cell but a missing or bad one makes the share unknown, never a partial sum.
    // One aggregate in two levels: each printed part (a column, question and answer of a country
    // and metric) with its usable cell, if any, then the country and metric from its parts.
    String valid = " FILTER (WHERE status1 IS NULL)";
    Dataset<Row> grouped =
        spark.sql(
            "WITH parts AS (SELECT source, wave, folder, country_iso3, metric, answer,"
                + " bool_or(status1 IS NULL) AS has_valid,"
                + " bool_or(status1 IS NOT NULL) AS has_broken,"
                + " sum(pct)"
                + valid
                + " AS pct_sum, min(line)"
                + valid
                + " AS source_line, min_by(country_raw, line)"
                + valid
                + " AS country_raw, min_by(file, line)"
                + valid
                + " AS source_file, max(n_num)"
                + valid
                + " AS n_cell, max(CASE WHEN moe_parsed >= 0 THEN moe_parsed END)"
                + valid
                + " AS moe_cell, first(n_per_country) AS n_per_country,"
                + " first(n_overall) AS n_overall, first(n_by_country) AS n_by_country,"
                + " first(moe_overall) AS moe_overall FROM "
                + dv
                + " WHERE country_iso3 IS NOT NULL"
                + " AND (status1 IS NULL OR status1 IN ('missing_value', 'bad_value'))"
                + " GROUP BY source, wave, folder, country_iso3, metric, answer, column_name,"
                + " question_raw, coalesce(answer_raw, '')),"
                + " agg AS (SELECT source, wave, folder, country_iso3, metric,"
                + " sum(CASE WHEN answer = 'agree' THEN pct_sum END) AS agree_sum,"
                + " sum(CASE WHEN answer = 'neutral' THEN pct_sum END) AS neutral_sum,"
                + " sum(CASE WHEN answer = 'disagree' THEN pct_sum END) AS disagree_sum,"
                + " count_if(answer = 'agree' AND has_valid) AS agree_cells,"
                + " min_by(country_raw, source_line) AS country_raw,"
                + " min(source_line) AS source_line, min_by(source_file, source_line) AS"
                + " source_file, max(n_cell) AS n_cell, max(moe_cell) AS moe_cell,"
                + " first(n_per_country) AS n_per_country, first(n_overall) AS n_overall,"
                + " first(n_by_country) AS n_by_country, first(moe_overall) AS moe_overall,"
                + " bool_or(answer <=> 'agree' AND has_broken AND NOT has_valid) AS agree_broken,"
                + " bool_or(answer <=> 'neutral' AND has_broken AND NOT has_valid) AS"
                + " neutral_broken,"
                + " bool_or(answer <=> 'disagree' AND has_broken AND NOT has_valid) AS"
                + " disagree_broken"
                + " FROM parts GROUP BY source, wave, folder, country_iso3, metric"
                + " HAVING bool_or(has_valid))"
                + " SELECT *, CASE WHEN NOT agree_broken THEN agree_sum END AS value,"
                + " CASE WHEN NOT neutral_broken THEN neutral_sum END AS neutral_share,"
                + " CASE WHEN NOT disagree_broken THEN disagree_sum END AS disagree_share"
                + " FROM agg");
    String gv = "mt_grouped_" + Math.abs(System.identityHashCode(grouped));
    grouped.createOrReplaceTempView(gv);
    // A cell whose sum is not published (an agree part, or a part of its own share, is missing)
    // is quarantined as incomplete_sum, so cells in = cells used + cells quarantined.
    Dataset<Row> labelled =
        spark.sql(
            "SELECT d.*, CASE WHEN d.status1 IS NOT NULL THEN d.status1"
                + " WHEN g.agree_broken THEN 'incomplete_sum'"
                + " WHEN g.agree_cells = 0 THEN 'orphan_answer'"
                + " WHEN g.value > 100 OR coalesce(g.value, 0) + coalesce(g.neutral_share, 0)"
                + " + coalesce(g.disagree_share, 0) > 101 THEN 'bad_value'"
                + " WHEN (d.answer = 'neutral' AND g.neutral_broken)"
                + " OR (d.answer = 'disagree' AND g.disagree_broken) THEN 'incomplete_sum'"
                + " ELSE 'used' END AS cell_status FROM "
                + dv
                + " d LEFT JOIN "
                + gv
                + " g"
                + " ON d.status1 IS NULL AND d.source = g.source AND d.wave = g.wave AND d.folder ="
                + " g.folder AND d.country_iso3 = g.country_iso3 AND d.metric = g.metric");
    Dataset<Row> measures =
        spark.sql(
            "WITH ok AS (SELECT * FROM "
                + gv
                + " WHERE agree_cells > 0 AND NOT agree_broken AND value <= 100 AND"
                + " coalesce(value, 0) + coalesce(neutral_share, 0) + coalesce(disagree_share, 0)"
                + " <= 101),"
                // The countries the wave surveyed: every country it prints a cell for, whatever
                // the metric and whether the cell is usable (a country with one unreadable share
                // was still asked), so an overall n is split evenly among them all.
                + " surveyed AS (SELECT source, wave, folder, count(DISTINCT country_iso3) AS"
                + " countries_in_wave FROM "
                + dv
                + " WHERE country_status = 'resolved' AND country_iso3 IS NOT NULL"
                + " GROUP BY source, wave, folder),"
                + " counted AS (SELECT ok.*, surveyed.countries_in_wave FROM ok JOIN surveyed"
                + " USING (source, wave, folder)),"
                + " withn AS (SELECT *, coalesce(n_cell, element_at(n_by_country, country_raw),"
                + " n_per_country, CAST(round(n_overall / countries_in_wave) AS INT)) AS n,"
                + " CASE WHEN n_cell IS NOT NULL OR element_at(n_by_country, country_raw) IS NOT"
                + " NULL OR n_per_country IS NOT NULL THEN 'per_country' WHEN n_overall IS NOT NULL"
                + " THEN 'overall_even_split' END AS n_basis, coalesce(moe_cell, moe_overall) AS moe"
                + " FROM counted),"
                + " w AS (SELECT *, value / 100 AS p, "
                + Z
                + " AS z FROM withn)"
                + " SELECT w.country_iso3, w.source, w.wave, s.period, w.metric, w.value,"
                + " w.neutral_share, w.disagree_share, w.n, w.n_basis, w.moe,"
                // Clamped: at p = 0 or 1 rounding puts a Wilson bound a hair outside 0-100.
                + " CASE WHEN n IS NOT NULL AND n > 0 THEN greatest(0, least(100, 100 * ((p + z * z"
                + " / (2 * n)) - z * sqrt(p * (1 - p) / n + z * z / (4 * n * n))) / (1 + z * z /"
                + " n))) WHEN moe IS NOT NULL THEN greatest(0, value - moe) END AS ci_low,"
                + " CASE WHEN n IS NOT NULL AND n > 0 THEN greatest(0, least(100, 100 * ((p + z * z"
                + " / (2 * n)) + z * sqrt(p * (1 - p) / n + z * z / (4 * n * n))) / (1 + z * z /"
                + " n))) WHEN moe IS NOT NULL THEN least(100, value + moe) END AS ci_high,"
                + " CASE WHEN n IS NOT NULL AND n > 0 THEN 'wilson' WHEN moe IS NOT NULL THEN"
                + " 'moe' END AS ci_method,"
                + " s.fieldwork_start, s.fieldwork_end, s.mode, s.licence, s.redistributable,"
                + " s.republishes, s.publisher, s.citation_url, w.country_raw, w.source_file,"
                + " w.source_line FROM w JOIN "
                + s
                + " s USING (source, wave, folder)");
    return new Result(measures, labelled);
  }
}
