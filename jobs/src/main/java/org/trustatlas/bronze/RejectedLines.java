package org.trustatlas.bronze;

import java.sql.Date;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.api.java.UDF4;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.util.CollectionAccumulator;
import org.apache.spark.util.LongAccumulator;

/**
 * Collects the lines a landing rejects while it writes the others, so they need not be read and
 * parsed a second time. {@link #keep()} is the rejecting branch of the landing's filter ({@code
 * CASE WHEN _ok THEN true ELSE keep() END}): Spark evaluates it only for lines that did not parse,
 * adds each to an accumulator while its task stays within its share of the memory budget, and
 * answers false. Accumulators of an action count each successful task once; a line seen twice (a
 * re-run task, a cached frame recomputed) is kept once.
 */
final class RejectedLines {
  /** The columns of a rejected line. */
  static final StructType SCHEMA =
      StructType.fromDDL("partition_date DATE, file STRING, line BIGINT, _raw STRING");

  private final CollectionAccumulator<Row> lines;
  private final LongAccumulator overflow;
  private final long bytesPerTask;
  private final boolean answer;

  RejectedLines(SparkSession spark, long bytesPerTask) {
    this(spark, bytesPerTask, false);
  }

  /**
   * @param answer what {@link #keep()} answers: false drops the collected lines from the landing,
   *     true lands them and collects a note about each ({@code _raw} holds the note)
   */
  RejectedLines(SparkSession spark, long bytesPerTask, boolean answer) {
    this.lines = spark.sparkContext().collectionAccumulator("rejected lines");
    this.overflow = spark.sparkContext().longAccumulator("rejected lines over budget");
    this.bytesPerTask = bytesPerTask;
    this.answer = answer;
  }

  /**
   * {@code answer} for every line, after collecting it: the ELSE branch of the landing's filter.
   */
  Column keep() {
    return functions
        .udf(new Collect(lines, overflow, bytesPerTask, answer), DataTypes.BooleanType)
        .asNondeterministic()
        .apply(
            functions.col("partition_date"),
            functions.col("file"),
            functions.col("line"),
            functions.col("_raw"));
  }

  /** True when every rejected line fitted the budget (read after the landing ran). */
  boolean complete() {
    return overflow.value() == 0;
  }

  /** The rejected lines, once each, in (file, line) order. */
  List<Row> lines() {
    Map<String, Row> once = new LinkedHashMap<>();
    for (Row r : lines.value()) {
      once.putIfAbsent(r.getString(1) + "\n" + r.getLong(2), r);
    }
    List<Row> out = new ArrayList<>(once.values());
    out.sort(
        java.util.Comparator.<Row, String>comparing(r -> r.getString(1))
            .thenComparingLong(r -> r.getLong(2)));
    return out;
  }

  /** The function a task evaluates: one instance per task, so its byte count is the task's. */
  private static final class Collect implements UDF4<Date, String, Long, String, Boolean> {
    private final CollectionAccumulator<Row> lines;
    private final LongAccumulator overflow;
    private final long budget;
    private final boolean answer;
    private long used;

    Collect(
        CollectionAccumulator<Row> lines, LongAccumulator overflow, long budget, boolean answer) {
      this.lines = lines;
      this.overflow = overflow;
      this.budget = budget;
      this.answer = answer;
    }

    @Override
    public Boolean call(Date partitionDate, String file, Long line, String raw) {
      // Rough heap size of the row: the strings' characters and the objects around them.
      long size = 128 + 2L * ((raw == null ? 0 : raw.length()) + file.length());
      if (used + size <= budget) {
        used += size;
        lines.add(RowFactory.create(partitionDate, file, line, raw));
      } else {
        overflow.add(1);
      }
      return answer;
    }
  }
}
