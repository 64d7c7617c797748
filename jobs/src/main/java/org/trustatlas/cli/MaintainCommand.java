package org.trustatlas.cli;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Callable;
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
    for (TableSpec t : Tables.ALL.values()) {
      if (!wh.exists(t)) {
        continue;
      }
      String ref = "delta.`" + wh.path(t) + "`";
      var r =
          spark
              .sql("OPTIMIZE " + ref)
              .select("metrics.numFilesAdded", "metrics.numFilesRemoved")
              .head();
      String line =
          String.format(
              Locale.ROOT, "%-32s optimize: +%d -%d files", t.name(), r.getLong(0), r.getLong(1));
      if (!noVacuum) {
        spark.sql("VACUUM " + ref + " RETAIN " + (retainDays * 24) + " HOURS");
        line += ", vacuum: kept " + retainDays + " days";
      }
      out.println(line);
    }
    return AtlasCli.OK;
  }
}
