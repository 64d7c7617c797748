package org.trustatlas.quality;

import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.trustatlas.run.ExpectationResult;
import org.trustatlas.run.RunContext;

/** Applies declared expectations to a step's output before it is committed. */
public final class Expectations {
  private static final Logger LOG = LoggerFactory.getLogger(Expectations.class);

  private Expectations() {}

  /** Output and rows dropped by {@code drop} expectations (with a {@code reason} column). */
  public record Checked(Dataset<Row> kept, Dataset<Row> dropped) {}

  /**
   * Checks {@code df} against each expectation, with the level the configuration may override.
   *
   * @throws DataQualityException on a violated {@code fail} expectation, before any write
   */
  public static Checked check(RunContext ctx, Dataset<Row> df, List<Expectation> expectations) {
    Dataset<Row> kept = df;
    Dataset<Row> dropped = null;
    if (expectations.isEmpty()) {
      return new Checked(kept, null);
    }
    // One pass counts the violations of every expectation.
    org.apache.spark.sql.Column[] counts =
        expectations.stream()
            .map(e -> functions.count_if(functions.expr("coalesce(" + e.violation() + ", true)")))
            .toArray(org.apache.spark.sql.Column[]::new);
    Row bad = df.agg(counts[0], java.util.Arrays.copyOfRange(counts, 1, counts.length)).head();
    for (int i = 0; i < expectations.size(); i++) {
      Expectation e = expectations.get(i);
      String level = ctx.config().expectationLevels().getOrDefault(e.name(), e.level());
      long n = bad.getLong(i);
      boolean passed = n == 0;
      String detail = passed ? "" : n + " row(s) where " + e.violation();
      ctx.expectation(new ExpectationResult(e.name(), e.table(), level, passed, n, detail));
      if (passed) {
        continue;
      }
      switch (level) {
        case "warn" -> LOG.warn("expectation {} on {}: {}", e.name(), e.table(), detail);
        case "drop" -> {
          Dataset<Row> d =
              kept.where(functions.expr("coalesce(" + e.violation() + ", true)"))
                  .withColumn("reason", functions.lit(e.reason()));
          dropped = dropped == null ? d : dropped.unionByName(d);
          kept = kept.where(functions.expr("NOT coalesce(" + e.violation() + ", true)"));
        }
        default ->
            throw new DataQualityException(
                "expectation "
                    + e.name()
                    + " failed on "
                    + e.table()
                    + ": "
                    + detail
                    + " — nothing of this step was committed; fix the input or set"
                    + " quality.expectations."
                    + e.name()
                    + " to warn");
      }
    }
    return new Checked(kept, dropped);
  }

  /** Fails (exit 3) when two rows share the table's key: a silent double count otherwise. */
  public static void uniqueKeys(
      RunContext ctx, org.trustatlas.contract.TableSpec spec, Dataset<Row> df) {
    String name = spec.table() + "_unique_key";
    String level = ctx.config().expectationLevels().getOrDefault(name, "fail");
    org.apache.spark.sql.Column[] keys =
        spec.keys().stream().map(functions::col).toArray(org.apache.spark.sql.Column[]::new);
    long dup = df.groupBy(keys).count().where("count > 1").count();
    String detail = dup == 0 ? "" : dup + " key(s) " + spec.keys() + " appear more than once";
    ctx.expectation(new ExpectationResult(name, spec.name(), level, dup == 0, dup, detail));
    if (dup > 0 && level.equals("fail")) {
      throw new DataQualityException(
          "expectation "
              + name
              + " failed on "
              + spec.name()
              + ": "
              + detail
              + " — nothing of this step was committed");
    }
    if (dup > 0) {
      LOG.warn("expectation {} on {}: {}", name, spec.name(), detail);
    }
  }
}
