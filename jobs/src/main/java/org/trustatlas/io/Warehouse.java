package org.trustatlas.io;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.StructField;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.trustatlas.contract.TableSpec;
import org.trustatlas.sql.Sql;

/** The only code that reads and writes the Delta tables of the warehouse. */
public final class Warehouse {
  private static final Logger LOG = LoggerFactory.getLogger(Warehouse.class);

  /** Table properties every table gets: change data feed and a 30-day time-travel window. */
  static final Map<String, String> PROPERTIES =
      Map.of(
          "delta.enableChangeDataFeed", "true",
          "delta.logRetentionDuration", "interval 30 days",
          "delta.deletedFileRetentionDuration", "interval 30 days");

  private final SparkSession spark;
  private final String root;

  public Warehouse(SparkSession spark, String root) {
    this.spark = spark;
    // Delta's SQL takes delta.`path` only for absolute paths: qualify a relative local root.
    String r =
        root.matches("^[a-zA-Z][a-zA-Z0-9+.-]*:.*")
            ? root
            : java.nio.file.Path.of(root).toAbsolutePath().normalize().toString();
    this.root = r.endsWith("/") ? r.substring(0, r.length() - 1) : r;
  }

  public SparkSession spark() {
    return spark;
  }

  public String root() {
    return root;
  }

  public String path(TableSpec spec) {
    return root + "/" + spec.relativePath();
  }

  public boolean exists(TableSpec spec) {
    return version(spec) >= 0;
  }

  /** Latest committed version, or -1 when the table does not exist yet. */
  public long version(TableSpec spec) {
    // The newest commit file in _delta_log: a listing, not a Spark job.
    org.apache.hadoop.fs.Path log = new org.apache.hadoop.fs.Path(path(spec) + "/_delta_log");
    try {
      org.apache.hadoop.fs.FileSystem fs =
          log.getFileSystem(spark.sparkContext().hadoopConfiguration());
      if (!fs.exists(log)) {
        return -1;
      }
      long max = -1;
      for (org.apache.hadoop.fs.FileStatus f : fs.listStatus(log)) {
        String n = f.getPath().getName();
        if (n.matches("\\d{20}\\.json")) {
          max = Math.max(max, Long.parseLong(n.substring(0, 20)));
        }
      }
      return max;
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException("cannot list " + log + ": " + e.getMessage(), e);
    }
  }

  /** The table's rows; an empty frame with the contract schema while the table does not exist. */
  public Dataset<Row> read(TableSpec spec) {
    if (!exists(spec)) {
      return spark.createDataFrame(List.of(), spec.schema());
    }
    return spark.read().format("delta").load(path(spec));
  }

  /**
   * Creates the empty table from its contract when it does not exist.
   *
   * @return true when it was created now, false when it already existed
   */
  public synchronized boolean ensure(TableSpec spec) {
    if (exists(spec)) {
      return false;
    }
    create(spec, spark.createDataFrame(List.of(), spec.schema()));
    return true;
  }

  /**
   * Creates the table with its first rows in one commit ({@code CREATE TABLE AS SELECT}): schema
   * and column comments from the contract, partitioning, comment, properties and constraints. NOT
   * NULL columns are enforced by {@code <column>_not_null} CHECK constraints, because a table
   * created from a query has nullable columns.
   */
  private Written create(TableSpec spec, Dataset<Row> rows) {
    removeDebris(spec);
    var w = rows.writeTo("delta." + Sql.identifier(path(spec))).using("delta");
    if (!spec.partitionBy().isEmpty()) {
      Column[] parts = spec.partitionBy().stream().map(functions::col).toArray(Column[]::new);
      w = w.partitionedBy(parts[0], java.util.Arrays.copyOfRange(parts, 1, parts.length));
    }
    w = w.tableProperty("comment", spec.comment());
    for (Map.Entry<String, String> p : PROPERTIES.entrySet()) {
      w = w.tableProperty(p.getKey(), p.getValue());
    }
    if (!spec.statsColumns().isEmpty()) {
      w = w.tableProperty("delta.dataSkippingStatsColumns", String.join(",", spec.statsColumns()));
    }
    for (Map.Entry<String, String> c : constraints(spec).entrySet()) {
      w = w.tableProperty("delta.constraints." + c.getKey(), c.getValue());
    }
    try {
      w.create();
    } catch (org.apache.spark.sql.catalyst.analysis.TableAlreadyExistsException e) {
      // Only one run writes at a time (WarehouseLock): someone created it outside a run.
      throw new IllegalStateException(
          spec.name() + " appeared at " + path(spec) + " while this run was creating it", e);
    }
    LOG.debug("created {} at {}", spec.name(), path(spec));
    long v = version(spec);
    return new Written(v, outputRows(spec, v), true);
  }

  /**
   * A folder without a commit is not a table: files left by a creation that failed or was killed
   * (under the run lock, so no one else is writing). It is removed so the creation can succeed.
   */
  private void removeDebris(TableSpec spec) {
    org.apache.hadoop.fs.Path dir = new org.apache.hadoop.fs.Path(path(spec));
    try {
      var fs = dir.getFileSystem(spark.sparkContext().hadoopConfiguration());
      if (fs.exists(dir)) {
        LOG.warn(
            "{}: removing {} (files of an earlier creation that never committed)",
            spec.name(),
            dir);
        fs.delete(dir, true);
      }
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException("cannot clean " + dir + ": " + e.getMessage(), e);
    }
  }

  /** The table's CHECK constraints: the contract's, and one per NOT NULL column. */
  static Map<String, String> constraints(TableSpec spec) {
    Map<String, String> all = new java.util.LinkedHashMap<>();
    for (StructField f : spec.schema().fields()) {
      if (!f.nullable()) {
        all.put(f.name() + "_not_null", "`" + f.name() + "` IS NOT NULL");
      }
    }
    all.putAll(spec.checks());
    return all;
  }

  /** Columns of {@code df} in contract order and types; extra columns are an error. */
  public static Dataset<Row> conform(TableSpec spec, Dataset<Row> df) {
    List<String> have = List.of(df.columns());
    List<Column> cols = new ArrayList<>();
    for (StructField f : spec.schema().fields()) {
      if (!have.contains(f.name())) {
        throw new IllegalStateException(spec.name() + ": transform did not produce " + f.name());
      }
      cols.add(functions.col(f.name()).cast(f.dataType()).as(f.name(), f.metadata()));
    }
    if (have.size() != cols.size()) {
      List<String> extra = new ArrayList<>(have);
      for (StructField f : spec.schema().fields()) {
        extra.remove(f.name());
      }
      throw new IllegalStateException(spec.name() + ": unexpected columns " + extra);
    }
    return df.select(cols.toArray(new Column[0]));
  }

  /**
   * The outcome of a write: the table version after it, the rows the written slice holds, and
   * whether a commit was made (false when the rows were already there).
   */
  public record Written(long version, long rows, boolean committed) {}

  /**
   * Columns that say which run wrote a row, not what the row is: writing the same rows again from
   * another run is not a change.
   */
  private static final String[] RUN_METADATA = {"run_id", "run_date"};

  /**
   * The table's rows, after adding the contract columns a table written by an older version lacks
   * (as nullable columns: the rows written before have no value for them).
   */
  private Dataset<Row> upgraded(TableSpec spec) {
    Dataset<Row> table = read(spec);
    List<String> have = List.of(table.columns());
    List<String> missing = new ArrayList<>();
    for (StructField f : spec.schema().fields()) {
      if (!have.contains(f.name())) {
        missing.add(
            "`"
                + f.name()
                + "` "
                + f.dataType().sql()
                + (f.getComment().isDefined()
                    ? " COMMENT " + Sql.quote(f.getComment().get())
                    : ""));
      }
    }
    if (missing.isEmpty()) {
      return table;
    }
    LOG.warn(
        "{}: adding column(s) {} to a table written by an older version", spec.name(), missing);
    spark.sql(
        "ALTER TABLE delta."
            + Sql.identifier(path(spec))
            + " ADD COLUMNS ("
            + String.join(", ", missing)
            + ")");
    return read(spec);
  }

  /** Replaces the whole table. Skips the commit when the contents would not change. */
  public Written overwrite(TableSpec spec, Dataset<Row> df) {
    return replace(spec, df, null);
  }

  /**
   * Replaces the rows matching {@code where} (a SQL predicate, or null for all) by {@code df}.
   * Skips the commit when the rows would not change, so a re-run leaves the history alone.
   *
   * <p>Cost: into an empty slice the rows are computed once, by the write itself (the row count
   * comes from the commit's metrics); only when the slice holds rows are the new rows computed,
   * kept and compared with a fingerprint first.
   */
  public Written replace(TableSpec spec, Dataset<Row> df, String where) {
    return replace(spec, df, where, true);
  }

  /**
   * As {@link #replace(TableSpec, Dataset, String)}; {@code mayBeEmpty = false} tells that {@code
   * df} has rows, which spares a probe of it (and keeps a {@code Dataset.observe} on it whole).
   */
  public Written replace(TableSpec spec, Dataset<Row> df, String where, boolean mayBeEmpty) {
    Dataset<Row> rows = conform(spec, df);
    if (!exists(spec)) {
      return create(spec, rows);
    }
    Dataset<Row> table = upgraded(spec);
    Dataset<Row> current = where == null ? table : table.where(where);
    Map<Object, List<Object>> before = fingerprint(current.drop(RUN_METADATA), null);
    if (!before.isEmpty()) {
      return replaceCompared(spec, rows, where, before.values().iterator().next());
    }
    if (mayBeEmpty && rows.isEmpty()) {
      return new Written(version(spec), 0, false);
    }
    return write(spec, rows, where);
  }

  private Written replaceCompared(
      TableSpec spec, Dataset<Row> df, String where, List<Object> before) {
    Dataset<Row> rows = df.persist(org.apache.spark.storage.StorageLevel.MEMORY_AND_DISK());
    try {
      List<Object> now =
          fingerprint(rows.drop(RUN_METADATA), null).getOrDefault(0, List.of(0L, "null", "null"));
      long count = ((Number) now.get(0)).longValue();
      if (now.equals(before)) {
        LOG.debug("{} unchanged{}", spec.name(), where == null ? "" : " where " + where);
        return new Written(version(spec), count, false);
      }
      return new Written(write(spec, rows, where).version(), count, true);
    } finally {
      rows.unpersist();
    }
  }

  /** Overwrites the slice {@code where} (or the table) with {@code rows}: one commit. */
  private Written write(TableSpec spec, Dataset<Row> rows, String where) {
    var w = rows.write().format("delta").mode("overwrite");
    if (where != null) {
      w = w.option("replaceWhere", where);
    }
    w.save(path(spec));
    long v = version(spec);
    return new Written(v, outputRows(spec, v), true);
  }

  /** Rows written by commit {@code v}, from its {@code operationMetrics} (no Spark job). */
  long outputRows(TableSpec spec, long v) {
    org.apache.hadoop.fs.Path commit =
        new org.apache.hadoop.fs.Path(
            path(spec) + "/_delta_log/" + String.format(java.util.Locale.ROOT, "%020d.json", v));
    try {
      var fs = commit.getFileSystem(spark.sparkContext().hadoopConfiguration());
      try (var in =
          new java.io.BufferedReader(
              new java.io.InputStreamReader(
                  fs.open(commit), java.nio.charset.StandardCharsets.UTF_8))) {
        for (String line; (line = in.readLine()) != null; ) {
          if (line.startsWith("{\"commitInfo\"")) {
            var metrics = JSON.readTree(line).path("commitInfo").path("operationMetrics");
            return metrics.path("numOutputRows").asLong(0);
          }
        }
      }
      return 0;
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException("cannot read " + commit + ": " + e.getMessage(), e);
    }
  }

  private static final com.fasterxml.jackson.databind.ObjectMapper JSON =
      new com.fasterxml.jackson.databind.ObjectMapper();

  /**
   * Appends once: a retry with the same application id and version is ignored by Delta ({@code
   * txnAppId}/{@code txnVersion}), so the append can never repeat.
   */
  public long appendOnce(TableSpec spec, Dataset<Row> df, String appId, long txnVersion) {
    ensure(spec);
    conform(spec, df)
        .write()
        .format("delta")
        .mode("append")
        .option("txnAppId", appId)
        .option("txnVersion", txnVersion)
        .save(path(spec));
    return version(spec);
  }

  /**
   * An order-independent fingerprint of the rows (count and two sums of row hashes), per value of
   * {@code groupColumn} or for the whole frame when it is null. One aggregation, no shuffle of
   * rows.
   */
  static Map<Object, List<Object>> fingerprint(Dataset<Row> df, String groupColumn) {
    Dataset<Row> c = comparable(df);
    Column[] all = java.util.Arrays.stream(c.columns()).map(functions::col).toArray(Column[]::new);
    Column key = groupColumn == null ? functions.lit(0) : functions.col(groupColumn);
    Map<Object, List<Object>> out = new java.util.HashMap<>();
    for (Row r :
        c.groupBy(key.as("k"))
            .agg(
                functions.count("*"),
                functions.sum(functions.xxhash64(all).cast("decimal(38,0)")),
                functions.sum(functions.hash(all).cast("decimal(38,0)")))
            .collectAsList()) {
      out.put(r.get(0), List.of(r.get(1), String.valueOf(r.get(2)), String.valueOf(r.get(3))));
    }
    return out;
  }

  /**
   * Replaces, in one commit, the partitions (values of {@code column}) whose rows changed; values
   * present in the table but absent from {@code df} are emptied. Unchanged values are not touched.
   * Into an empty table the rows are written at once, without a comparison.
   */
  public Written replaceChanged(TableSpec spec, Dataset<Row> df, String column) {
    Dataset<Row> conformed = conform(spec, df);
    if (!exists(spec)) {
      return create(spec, conformed);
    }
    Map<Object, List<Object>> before = fingerprint(upgraded(spec), column);
    if (before.isEmpty()) {
      return conformed.isEmpty()
          ? new Written(version(spec), 0, false)
          : write(spec, conformed, null);
    }
    Dataset<Row> rows = conformed.persist(org.apache.spark.storage.StorageLevel.MEMORY_AND_DISK());
    try {
      return replaceChangedRows(spec, rows, column, before);
    } finally {
      rows.unpersist();
    }
  }

  private Written replaceChangedRows(
      TableSpec spec, Dataset<Row> rows, String column, Map<Object, List<Object>> before) {
    Map<Object, List<Object>> now = fingerprint(rows, column);
    long count = now.values().stream().mapToLong(v -> ((Number) v.get(0)).longValue()).sum();
    java.util.TreeSet<String> changed = new java.util.TreeSet<>();
    for (Object k : now.keySet()) {
      if (!now.get(k).equals(before.get(k))) {
        changed.add(String.valueOf(k));
      }
    }
    for (Object k : before.keySet()) {
      if (!now.containsKey(k)) {
        changed.add(String.valueOf(k));
      }
    }
    if (changed.isEmpty()) {
      return new Written(version(spec), count, false);
    }
    boolean numeric = changed.stream().allMatch(v -> v.matches("-?\\d+"));
    String in =
        changed.stream()
            .map(v -> numeric ? v : Sql.quote(v))
            .collect(java.util.stream.Collectors.joining(", "));
    String where = column + " IN (" + in + ")";
    long v = write(spec, rows.where(where), where).version();
    LOG.debug("{}: replaced {} = {}", spec.name(), column, changed);
    return new Written(v, count, true);
  }

  private static Dataset<Row> comparable(Dataset<Row> df) {
    List<Column> cols = new ArrayList<>();
    for (StructField f : df.schema().fields()) {
      Column c = functions.col(f.name());
      cols.add(
          f.dataType() instanceof org.apache.spark.sql.types.MapType
              ? functions.array_sort(functions.map_entries(c)).as(f.name())
              : c);
    }
    return df.select(cols.toArray(new Column[0]));
  }
}
