package org.trustatlas.io;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.trustatlas.config.ConfigException;
import org.trustatlas.contract.TableSpec;
import org.trustatlas.contract.Tables;
import org.trustatlas.sql.Sql;

/**
 * Registers the warehouse tables under their SPEC names for {@code query}, optionally as of a Delta
 * version or a timestamp.
 *
 * <p>Every table has its own version numbers and commit times, so {@code --as-of} is resolved per
 * table: a version number pins each table that has that version; a timestamp pins each table to its
 * last commit at or before that moment (Delta's {@code TIMESTAMP AS OF} refuses a timestamp after a
 * table's last commit, which would fail any query on a table that did not change since). A table
 * that did not exist yet at the requested point is left out (with a warning), so a query naming it
 * fails with exit code 2. Paths are made absolute first: Delta takes {@code delta.`path`} only for
 * absolute paths, and the default warehouse ({@code warehouse}) is relative.
 */
public final class TimeTravel {
  private static final Logger LOG = LoggerFactory.getLogger(TimeTravel.class);
  private static final Pattern VERSION = Pattern.compile("\\d{1,18}");
  private static final Pattern TIMESTAMP =
      Pattern.compile(
          "\\d{4}-\\d{2}-\\d{2}([ T]\\d{2}:\\d{2}(:\\d{2}(\\.\\d{1,9})?)?)?(Z|[+-]\\d{2}:?\\d{2})?");

  private TimeTravel() {}

  /** Registers every existing table; returns SPEC name → path of those registered. */
  public static Map<String, String> registerCatalog(Warehouse wh, String asOf) {
    if (asOf != null && !VERSION.matcher(asOf).matches() && !TIMESTAMP.matcher(asOf).matches()) {
      throw new ConfigException(
          "invalid --as-of '"
              + asOf
              + "': use a table version (e.g. --as-of 3) or a UTC timestamp"
              + " (e.g. --as-of '2025-06-01 12:00:00' or --as-of 2025-06-01)");
    }
    SparkSession spark = wh.spark();
    Map<String, String> registered = new LinkedHashMap<>();
    for (TableSpec spec : Tables.ALL.values()) {
      // Drop first: a registration left by an earlier query in this session must not survive.
      drop(spark, spec);
      long latest = wh.version(spec);
      if (latest < 0) {
        continue;
      }
      String path = qualified(spark, wh.path(spec));
      String sql;
      if (asOf == null) {
        sql = "CREATE TABLE " + spec.name() + " USING delta LOCATION " + Sql.quote(path);
      } else {
        long v = versionAsOf(spark, path, latest, asOf);
        if (v < 0) {
          LOG.warn("{} has no version as of {}: left out of the query", spec.name(), asOf);
          continue;
        }
        sql =
            "CREATE VIEW "
                + spec.name()
                + " AS SELECT * FROM delta."
                + Sql.identifier(path)
                + " VERSION AS OF "
                + v;
      }
      try {
        spark.sql(sql);
      } catch (RuntimeException e) {
        if (asOf == null || !e.getClass().getName().contains("AnalysisException")) {
          throw e;
        }
        // E.g. a version whose log files were cleaned up after the retention window.
        LOG.warn(
            "{} cannot be read as of {}: {}",
            spec.name(),
            asOf,
            String.valueOf(e.getMessage()).lines().findFirst().orElse(""));
        continue;
      }
      registered.put(spec.name(), path);
    }
    return registered;
  }

  /**
   * The table's version at {@code asOf}: the number itself when the table has it, else the last
   * version committed at or before the timestamp; -1 when there is none.
   */
  static long versionAsOf(SparkSession spark, String path, long latest, String asOf) {
    if (VERSION.matcher(asOf).matches()) {
      long v = Long.parseLong(asOf);
      return v <= latest ? v : -1;
    }
    Row r =
        io.delta.tables.DeltaTable.forPath(spark, path)
            .history()
            .where("timestamp <= CAST('" + asOf + "' AS TIMESTAMP)")
            .selectExpr("max(version)")
            .head();
    return r.isNullAt(0) ? -1 : r.getLong(0);
  }

  private static void drop(SparkSession spark, TableSpec spec) {
    spark.sql("CREATE DATABASE IF NOT EXISTS " + spec.layer());
    if (spark.catalog().tableExists(spec.name())) {
      boolean view;
      try {
        view = "VIEW".equals(spark.catalog().getTable(spec.name()).tableType());
      } catch (org.apache.spark.sql.AnalysisException e) {
        throw new IllegalStateException(e);
      }
      spark.sql((view ? "DROP VIEW " : "DROP TABLE ") + spec.name());
    }
  }

  /**
   * The path with scheme and absolute location ({@code file:/…}, {@code s3a://…}), as Delta's
   * {@code delta.`path`} needs it.
   */
  public static String qualified(SparkSession spark, String path) {
    Path p = new Path(path);
    try {
      return p.getFileSystem(spark.sparkContext().hadoopConfiguration())
          .makeQualified(p)
          .toString();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot resolve " + path + ": " + e.getMessage(), e);
    }
  }
}
