package org.trustatlas.cli;

import io.delta.tables.DeltaTable;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.trustatlas.config.AtlasConfig;
import org.trustatlas.config.ConfigException;
import org.trustatlas.contract.TableSpec;
import org.trustatlas.contract.Tables;
import org.trustatlas.io.Warehouse;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** OPTIMIZE (compact small files) and VACUUM (drop unreferenced files) on every table. */
@Command(
    name = "maintain",
    mixinStandardHelpOptions = true,
    description = {
      "Compacts the small files nightly appends leave (OPTIMIZE) and removes files no longer",
      "referenced (VACUUM), keeping the time-travel window (default and minimum 30 days)."
    })
final class MaintainCommand implements Callable<Integer> {
  static final int MIN_RETAIN_DAYS = 30;

  @Mixin CommonOptions common;

  @Option(
      names = "--retain-days",
      defaultValue = "30",
      description = "Days of time travel VACUUM keeps (>= 30). Default: ${DEFAULT-VALUE}.")
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
    Warehouse wh = new Warehouse(spark, config.warehouse());
    PrintWriter out = spec.commandLine().getOut();
    int tables = 0;
    for (TableSpec t : Tables.ALL.values()) {
      if (!wh.exists(t)) {
        continue;
      }
      tables++;
      // The Delta API, not SQL on delta.`path`: that only takes absolute paths, and the default
      // warehouse is relative.
      DeltaTable table = DeltaTable.forPath(spark, wh.path(t));
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
        table.vacuum(retainDays * 24.0);
        line += ", vacuum: kept " + retainDays + " days";
      }
      out.println(line);
    }
    if (tables == 0) {
      throw new ConfigException(
          "no tables under " + config.warehouse() + ": pass the warehouse with --warehouse");
    }
    return AtlasCli.OK;
  }
}
