package org.trustatlas.cli;

import io.delta.tables.DeltaTable;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.trustatlas.config.AtlasConfig;
import org.trustatlas.config.ConfigException;
import org.trustatlas.contract.TableSpec;
import org.trustatlas.contract.Tables;
import org.trustatlas.io.TimeTravel;
import org.trustatlas.io.Warehouse;
import org.trustatlas.io.WarehouseLock;
import org.trustatlas.sql.Sql;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * OPTIMIZE (compact small files) and VACUUM (drop files no version in the window references) on
 * every table.
 *
 * <p>Delta ignores {@code VACUUM … RETAIN n HOURS} (other than 0) and always keeps each table's
 * {@code delta.deletedFileRetentionDuration}; so the window is set there (and in {@code
 * delta.logRetentionDuration}, without which old versions lose their log) before VACUUM runs.
 */
@Command(
    name = "maintain",
    mixinStandardHelpOptions = true,
    description = {
      "Compacts the small files nightly runs leave (OPTIMIZE) and removes files no version in the",
      "time-travel window references (VACUUM). The window (default and minimum 30 days) is kept",
      "in each table's delta.deletedFileRetentionDuration and delta.logRetentionDuration."
    })
final class MaintainCommand implements Callable<Integer> {
  static final int MIN_RETAIN_DAYS = 30;

  /** Delta lists a table's folders with this many tasks: 10000 by default, minutes on a laptop. */
  static final String LISTING_PARALLELISM =
      "spark.sql.sources.parallelPartitionDiscovery.parallelism";

  @Mixin CommonOptions common;

  @Option(
      names = "--retain-days",
      defaultValue = "30",
      description =
          "Days of time travel to keep (>= 30), set as each table's retention."
              + " Default: ${DEFAULT-VALUE}.")
  int retainDays;

  @Option(names = "--no-vacuum", description = "Only compact.")
  boolean noVacuum;

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    if (retainDays < MIN_RETAIN_DAYS) {
      throw new ConfigException(
          "--retain-days "
              + retainDays
              + " would break the documented 30-day time-travel window;"
              + " use 30 or more");
    }
    AtlasConfig config = common.resolve();
    SparkSession spark = RunSupport.session(config);
    if (!config.sparkConf().containsKey(LISTING_PARALLELISM)
        && !spark.sparkContext().getConf().contains(LISTING_PARALLELISM)) {
      spark
          .conf()
          .set(
              LISTING_PARALLELISM,
              String.valueOf(Math.max(8, 4 * spark.sparkContext().defaultParallelism())));
    }
    Warehouse wh = new Warehouse(spark, config.warehouse());
    List<TableSpec> tables = Tables.ALL.values().stream().filter(wh::exists).toList();
    if (tables.isEmpty()) {
      throw new ConfigException(
          "no tables under " + config.warehouse() + ": pass the warehouse with --warehouse");
    }
    // OPTIMIZE and VACUUM rewrite and delete files: not while a run writes the warehouse.
    try (var lock =
        WarehouseLock.acquire(
            spark.sparkContext().hadoopConfiguration(),
            wh.root(),
            "maintain_" + java.time.Instant.now())) {
      maintain(spark, wh, tables);
      return AtlasCli.OK;
    }
  }

  private void maintain(SparkSession spark, Warehouse wh, List<TableSpec> tables) {
    PrintWriter out = spec.commandLine().getOut();
    String window = "interval " + retainDays + " days";
    for (TableSpec t : tables) {
      String path = TimeTravel.qualified(spark, wh.path(t));
      DeltaTable table = DeltaTable.forPath(spark, path);
      Row r =
          table
              .optimize()
              .executeCompaction()
              .select("metrics.numFilesAdded", "metrics.numFilesRemoved")
              .head();
      String line =
          String.format(
              Locale.ROOT, "%-32s optimize: +%d -%d files", t.name(), r.getLong(0), r.getLong(1));
      if (!noVacuum) {
        Row detail = table.detail().head();
        Map<String, String> props = detail.getJavaMap(detail.fieldIndex("properties"));
        if (!window.equals(props.get("delta.deletedFileRetentionDuration"))
            || !window.equals(props.get("delta.logRetentionDuration"))) {
          // delta.`…` takes absolute paths only: `path` is qualified.
          spark.sql(
              "ALTER TABLE delta."
                  + Sql.identifier(path)
                  + " SET TBLPROPERTIES ('delta.deletedFileRetentionDuration' = '"
                  + window
                  + "', 'delta.logRetentionDuration' = '"
                  + window
                  + "')");
        }
        table.vacuum();
        line += ", vacuum: kept " + retainDays + " days";
      }
      out.println(line);
    }
  }
}
