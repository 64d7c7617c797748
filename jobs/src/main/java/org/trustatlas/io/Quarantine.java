package org.trustatlas.io;

import java.util.Map;
import java.util.stream.Collectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.trustatlas.contract.Tables;
import org.trustatlas.run.RunContext;

/**
 * Writes a step's unusable rows to {@code ops.quarantine}, replacing that step's rows for the run
 * date.
 */
public final class Quarantine {
  private Quarantine() {}

  /**
   * Keeps {@code rows} (columns source, location, raw, reason, detail, row_count) of {@code step}
   * for {@link #flush}: the run writes its quarantine once, at its end. Re-running the same date
   * and step replaces them, so quarantine never double-counts.
   */
  public static void write(RunContext ctx, String step, Dataset<Row> rows) {
    ctx.quarantine(step, rows);
  }

  /** {@link #write} for several steps (step → rows). */
  public static void write(RunContext ctx, Map<String, Dataset<Row>> rowsByStep) {
    rowsByStep.forEach((step, rows) -> ctx.quarantine(step, rows));
  }

  /** Writes the rows the run's steps quarantined so far, in one commit. */
  public static void flush(RunContext ctx) {
    Map<String, Dataset<Row>> rowsByStep = ctx.takeQuarantined();
    Dataset<Row> all = null;
    for (Map.Entry<String, Dataset<Row>> e : rowsByStep.entrySet()) {
      Dataset<Row> q = e.getValue().withColumn("step", functions.lit(e.getKey()));
      all = all == null ? q : all.unionByName(q);
    }
    if (all == null) {
      return;
    }
    String steps =
        rowsByStep.keySet().stream()
            .map(st -> "'" + st.replace("'", "''") + "'")
            .sorted()
            .collect(Collectors.joining(", "));
    long v =
        ctx.warehouse()
            .replace(
                Tables.QUARANTINE,
                all.withColumn("run_id", functions.lit(ctx.runId()))
                    .withColumn("run_date", functions.lit(java.sql.Date.valueOf(ctx.runDate()))),
                "run_date = DATE'" + ctx.runDate() + "' AND step IN (" + steps + ")")
            .version();
    ctx.outputVersion(Tables.QUARANTINE.name(), v);
  }

  /** An empty quarantine frame with the columns steps produce. */
  public static Dataset<Row> empty(org.apache.spark.sql.SparkSession spark) {
    return spark.sql(
        "SELECT CAST(NULL AS STRING) source, CAST(NULL AS STRING) location, CAST(NULL AS STRING)"
            + " raw, CAST(NULL AS STRING) reason, CAST(NULL AS STRING) detail, CAST(0 AS BIGINT)"
            + " row_count WHERE false");
  }
}
