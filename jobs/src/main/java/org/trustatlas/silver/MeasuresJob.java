package org.trustatlas.silver;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.functions;
import org.trustatlas.contract.Tables;
import org.trustatlas.io.Quarantine;
import org.trustatlas.quality.Expectation;
import org.trustatlas.quality.Expectations;
import org.trustatlas.reference.CountryLookup;
import org.trustatlas.reference.CountryResolver;
import org.trustatlas.run.RunContext;
import org.trustatlas.run.Step;
import org.trustatlas.run.StepCount;

/** bronze.survey_cells → silver.country_measures, every unusable cell quarantined with a reason. */
public final class MeasuresJob implements Step {
  public static final String STEP = "silver.country_measures";

  public static final List<Expectation> EXPECTATIONS =
      List.of(
          new Expectation(
              "measures_value_in_range",
              STEP,
              "NOT (value BETWEEN 0 AND 100)",
              "fail",
              "bad_value"),
          new Expectation(
              "measures_interval_contains_value",
              STEP,
              "ci_low IS NOT NULL AND NOT (ci_low <= value AND value <= ci_high)",
              "fail",
              "bad_interval"));

  /**
   * For a used cell whose printed sample size or margin of error does not read as a number (its
   * share is published without it, so no interval from it), or whose wave looks like fractions in a
   * percent column ({@code scale_slip}), or that looks like the one fraction among percentages
   * ({@code lone_fraction}), why, with the fix; else null.
   */
  private static Column unreadNOrMoe() {
    Column badN = functions.expr("n_txt <> '' AND n_num IS NULL");
    Column badMoe = functions.expr("moe_txt <> '' AND moe_parsed IS NULL");
    Column slip =
        functions.when(
            functions.col("cell_status").equalTo("used").and(functions.col("scale_slip")),
            functions.concat(
                functions.lit("value '"),
                functions.col("value_raw"),
                functions.lit("' of country '"),
                functions.col("country_raw"),
                functions.lit(
                    "': every share of this metric in the wave is at most 1 and none is printed"
                        + " with %, so they look like fractions in a column declared scale:"
                        + " percent; they are published as printed (under 1 %): declare scale:"
                        + " fraction if they are fractions")));
    Column used = functions.col("cell_status").equalTo("used");
    Column lone =
        functions.when(
            used.and(functions.col("lone_fraction").isNotNull()),
            functions.concat(
                functions.lit("value '"),
                functions.col("value_raw"),
                functions.lit("' of country '"),
                functions.col("country_raw"),
                functions.lit("' reads as "),
                functions.col("value_raw"),
                functions.lit(" % where the other shares of this metric in the wave are "),
                functions.col("lone_fraction"),
                functions.lit(
                    " %: it looks like a fraction; it is published as printed: print it as a"
                        + " percentage (0.45 as 45) if it is one")));
    return functions.coalesce(unread(badN, badMoe), slip, lone);
  }

  private static Column unread(Column badN, Column badMoe) {
    return functions.when(
        functions.col("cell_status").equalTo("used").and(badN.or(badMoe)),
        functions.concat(
            functions
                .when(
                    badN, functions.concat(functions.lit("sample size '"), functions.col("n_raw")))
                .otherwise(
                    functions.concat(functions.lit("margin of error '"), functions.col("moe_raw"))),
            functions.lit("' does not read as a number: the share of country '"),
            functions.col("country_raw"),
            functions.lit(
                "' is published without it; print a whole number (n) or points (margin of"
                    + " error), or declare decimal_comma")));
  }

  @Override
  public String name() {
    return STEP;
  }

  @Override
  public void run(RunContext ctx) {
    Dataset<Row> cells = ctx.warehouse().read(Tables.SURVEY_CELLS);
    Dataset<Row> sources = ctx.warehouse().read(Tables.SURVEY_SOURCES);
    ctx.versionRead(Tables.SURVEY_CELLS.name(), ctx.warehouse().version(Tables.SURVEY_CELLS));
    Map<String, Map<String, String>> pins = new HashMap<>();
    for (Row r : sources.select("source", "wave", "pins").collectAsList()) {
      pins.put(r.getString(0) + "/" + r.getString(1), r.getJavaMap(2));
    }
    Dataset<Row> scoped =
        cells.withColumn(
            "pin_scope", functions.concat_ws("/", functions.col("source"), functions.col("wave")));
    Dataset<Row> resolved =
        CountryLookup.resolve(
                scoped,
                "country_raw",
                "pin_scope",
                pins,
                CountryResolver.load(ctx.config().rollUpGreaterChina()))
            .drop("pin_scope", "country_via");
    MeasuresTransform.Result result = MeasuresTransform.build(resolved, sources);
    Dataset<Row> measures = result.measures().cache();
    Expectations.Checked checked = Expectations.check(ctx, measures, EXPECTATIONS);
    Expectations.uniqueKeys(ctx, Tables.COUNTRY_MEASURES, checked.kept());
    long v = ctx.warehouse().overwrite(Tables.COUNTRY_MEASURES, checked.kept()).version();
    ctx.outputVersion(Tables.COUNTRY_MEASURES.name(), v);

    // Cells are few (thousands): one pass brings them to the driver for counts and quarantine.
    Column source =
        functions.concat_ws("/", functions.col("source"), functions.col("wave")).as("source");
    Column location =
        functions
            .concat_ws(
                ":",
                functions.col("file"),
                functions.col("line").cast("string"),
                functions.col("column_name"))
            .as("location");
    List<Row> cellRows =
        result
            .cells()
            .select(
                source,
                location,
                functions.col("raw"),
                functions.col("cell_status").as("reason"),
                functions
                    .concat(
                        functions.lit("country '"),
                        functions.coalesce(functions.col("country_raw"), functions.lit("")),
                        functions.lit("', value '"),
                        functions.coalesce(functions.col("value_raw"), functions.lit("")),
                        functions.lit("'"),
                        // A duplicate names the copy that counts.
                        functions
                            .when(
                                functions.col("kept_at").isNotNull(),
                                functions.concat(
                                    functions.lit(": counted once, from "),
                                    functions.col("kept_at")))
                            .otherwise(functions.lit("")))
                    .as("detail"),
                functions.lit(1L).as("row_count"),
                unreadNOrMoe().as("unread"))
            .collectAsList();
    List<Row> quarantined = new ArrayList<>();
    Map<String, long[]> perSource = new TreeMap<>();
    for (Row r : cellRows) {
      long[] c = perSource.computeIfAbsent(r.getString(0), k -> new long[2]);
      c[0]++;
      if (!r.getString(3).equals("used")) {
        quarantined.add(RowFactory.create(r.get(0), r.get(1), r.get(2), r.get(3), r.get(4), 1L));
        continue;
      }
      c[1]++;
      if (!r.isNullAt(6)) {
        // Its share is published without it: reported, standing for no lost row.
        quarantined.add(RowFactory.create(r.get(0), r.get(1), r.get(2), "bad_value", r.get(6), 0L));
      }
    }
    Quarantine.write(ctx, STEP, ctx.spark().createDataFrame(quarantined, Quarantine.ROWS));
    perSource.forEach((src, c) -> ctx.count(new StepCount(STEP, src, c[0], c[1], c[0] - c[1])));
    measures.unpersist();
  }
}
