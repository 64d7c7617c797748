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

  public Dataset<Row> read(TableSpec spec) {
    ensure(spec);
    return spark.read().format("delta").load(path(spec));
  }

  /** Creates the table from its contract (schema, comments, partitioning, properties, checks). */
  public synchronized void ensure(TableSpec spec) {
    if (exists(spec)) {
      return;
    }
    StringBuilder ddl =
        new StringBuilder("CREATE TABLE IF NOT EXISTS delta.`")
            .append(path(spec))
            .append("` (")
            .append(spec.schema().toDDL())
            .append(") USING delta");
    if (!spec.partitionBy().isEmpty()) {
      ddl.append(" PARTITIONED BY (").append(String.join(", ", spec.partitionBy())).append(")");
    }
    ddl.append(" COMMENT '").append(spec.comment().replace("'", "\\'")).append("'");
    ddl.append(" TBLPROPERTIES (");
    List<String> props = new ArrayList<>();
    PROPERTIES.forEach((k, v) -> props.add("'" + k + "' = '" + v + "'"));
    ddl.append(String.join(", ", props)).append(")");
    spark.sql(ddl.toString());
    for (Map.Entry<String, String> c : spec.checks().entrySet()) {
      spark.sql(
          "ALTER TABLE delta.`"
              + path(spec)
              + "` ADD CONSTRAINT "
              + c.getKey()
              + " CHECK ("
              + c.getValue()
              + ")");
    }
    LOG.debug("created {} at {}", spec.name(), path(spec));
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

  /** Replaces the whole table. Skips the commit when the contents would not change. */
  public long overwrite(TableSpec spec, Dataset<Row> df) {
    return replace(spec, df, null);
  }

  /**
   * Replaces the rows matching {@code where} (a SQL predicate, or null for all) by {@code df}.
   * Skips the commit when the rows would not change, so a re-run leaves the history alone.
   */
  public long replace(TableSpec spec, Dataset<Row> df, String where) {
    ensure(spec);
    // Computed once: compared, then (if changed) written.
    Dataset<Row> rows =
        conform(spec, df).persist(org.apache.spark.storage.StorageLevel.MEMORY_AND_DISK());
    try {
      return replaceRows(spec, rows, where);
    } finally {
      rows.unpersist();
    }
  }

  private long replaceRows(TableSpec spec, Dataset<Row> rows, String where) {
    Dataset<Row> current = read(spec);
    if (where != null) {
      current = current.where(where);
    }
    if (sameRows(current, rows)) {
      LOG.debug("{} unchanged{}", spec.name(), where == null ? "" : " where " + where);
      return version(spec);
    }
    var w = rows.write().format("delta").mode("overwrite");
    if (where != null) {
      w = w.option("replaceWhere", where);
    }
    w.save(path(spec));
    return version(spec);
  }

  /** Replaces the rows matching {@code where} without comparing first (for volume tables). */

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
   * Same rows, ignoring {@code run_id}: it is ingest metadata, so landing the same input again is
   * not a change.
   */
  private static boolean sameRows(Dataset<Row> a, Dataset<Row> b) {
    return fingerprint(a.drop("run_id"), null).equals(fingerprint(b.drop("run_id"), null));
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
   */
  public long replaceChanged(TableSpec spec, Dataset<Row> df, String column) {
    ensure(spec);
    Dataset<Row> rows =
        conform(spec, df).persist(org.apache.spark.storage.StorageLevel.MEMORY_AND_DISK());
    try {
      return replaceChangedRows(spec, rows, column);
    } finally {
      rows.unpersist();
    }
  }

  private long replaceChangedRows(TableSpec spec, Dataset<Row> rows, String column) {
    Map<Object, List<Object>> now = fingerprint(rows, column);
    Map<Object, List<Object>> before = fingerprint(read(spec), column);
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
      return version(spec);
    }
    boolean numeric = changed.stream().allMatch(v -> v.matches("-?\\d+"));
    String in =
        changed.stream()
            .map(v -> numeric ? v : "'" + v.replace("'", "''") + "'")
            .collect(java.util.stream.Collectors.joining(", "));
    String where = column + " IN (" + in + ")";
    rows.where(where)
        .write()
        .format("delta")
        .mode("overwrite")
        .option("replaceWhere", where)
        .save(path(spec));
    LOG.debug("{}: replaced {} = {}", spec.name(), column, changed);
    return version(spec);
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

  /**
   * Registers every existing table under its SPEC name ({@code silver.country_measures} ...) in the
   * session catalog, optionally pinned to a timestamp or version for time travel.
   */
}
