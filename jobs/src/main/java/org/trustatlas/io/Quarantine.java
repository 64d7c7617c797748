package org.trustatlas.io;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.trustatlas.contract.Tables;
import org.trustatlas.run.RunContext;
import org.trustatlas.sql.Sql;

/**
 * Writes the steps' unusable rows to {@code ops.quarantine}. Every row belongs to a data date: the
 * usage-log partition it was read from (bronze), the date of the event (silver usage; the partition
 * when the event has none), or the run date (surveys, models). A step replaces its own rows of
 * exactly the dates it recomputed, so a re-run never double-counts and never drops the rows of a
 * date it did not touch; a step that rebuilds its whole output (surveys, models) replaces all of
 * its rows.
 */
public final class Quarantine {
  private Quarantine() {}

  /** The columns a step's quarantine rows have; rows of usage steps add {@code data_date}. */
  public static final org.apache.spark.sql.types.StructType ROWS =
      org.apache.spark.sql.types.StructType.fromDDL(
          "source STRING, location STRING, raw STRING, reason STRING, detail STRING, row_count"
              + " BIGINT");

  /** {@link #ROWS} and the data date: the rows of steps that recompute dates. */
  public static final org.apache.spark.sql.types.StructType DATED_ROWS =
      ROWS.add("data_date", org.apache.spark.sql.types.DataTypes.DateType);

  /**
   * Keeps {@code rows} ({@link #ROWS}) of a step that rebuilds its whole output every run, under
   * the run date: they replace every earlier row of the step, so a table landed whole is reported
   * once, not once per date it was run for.
   */
  public static void write(RunContext ctx, String step, Dataset<Row> rows) {
    ctx.quarantine(
        step,
        new RunContext.Quarantined(
            rows.withColumn("data_date", functions.lit(java.sql.Date.valueOf(ctx.runDate()))),
            Set.of(ctx.runDate()),
            true));
  }

  /**
   * Keeps {@code rows} (the columns of {@link #empty}) of a step that recomputed the data dates
   * {@code dates}, for {@link #flush}: the run writes its quarantine once, at its end.
   */
  public static void write(RunContext ctx, String step, Dataset<Row> rows, Set<LocalDate> dates) {
    ctx.quarantine(step, new RunContext.Quarantined(rows, dates));
  }

  /** Writes the rows the run's steps quarantined so far, in one commit. */
  public static void flush(RunContext ctx) {
    Map<String, RunContext.Quarantined> byStep = ctx.takeQuarantined();
    Dataset<Row> all = null;
    List<String> slices = new ArrayList<>();
    for (Map.Entry<String, RunContext.Quarantined> e : byStep.entrySet()) {
      Dataset<Row> q = e.getValue().rows().withColumn("step", functions.lit(e.getKey()));
      all = all == null ? q : all.unionByName(q);
      if (e.getValue().whole()) {
        slices.add("(step = " + Sql.quote(e.getKey()) + ")");
      } else if (!e.getValue().dates().isEmpty()) {
        slices.add(
            "(step = "
                + Sql.quote(e.getKey())
                + " AND data_date IN ("
                + e.getValue().dates().stream()
                    .sorted()
                    .map(d -> "DATE'" + d + "'")
                    .collect(Collectors.joining(", "))
                + "))");
      }
    }
    if (all == null || slices.isEmpty()) {
      return;
    }
    long v =
        ctx.warehouse()
            .replace(
                Tables.QUARANTINE,
                all.withColumn("run_id", functions.lit(ctx.runId()))
                    .withColumn("run_date", functions.lit(java.sql.Date.valueOf(ctx.runDate()))),
                String.join(" OR ", slices))
            .version();
    ctx.outputVersion(Tables.QUARANTINE.name(), v);
  }

  /** An empty quarantine frame: {@link #ROWS} and data_date. */
  public static Dataset<Row> empty(org.apache.spark.sql.SparkSession spark) {
    return spark.createDataFrame(List.of(), DATED_ROWS);
  }
}
