package org.trustatlas.io;

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
   * Stores {@code rows} (columns source, location, raw, reason, detail, row_count) for {@code
   * step}. Re-running the same date and step replaces them, so quarantine never double-counts.
   */
  public static void write(RunContext ctx, String step, Dataset<Row> rows) {
    Dataset<Row> q =
        rows.withColumn("run_id", functions.lit(ctx.runId()))
            .withColumn("run_date", functions.lit(java.sql.Date.valueOf(ctx.runDate())))
            .withColumn("step", functions.lit(step));
    long v =
        ctx.warehouse()
            .replace(
                Tables.QUARANTINE,
                q,
                "run_date = DATE'" + ctx.runDate() + "' AND step = '" + step + "'");
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
