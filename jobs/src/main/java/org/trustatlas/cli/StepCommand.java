package org.trustatlas.cli;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import org.trustatlas.config.AtlasConfig;
import org.trustatlas.run.RunContext;
import org.trustatlas.run.Step;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Runs one layer alone for a run date, e.g. {@code atlas silver --date 2025-01-31}. */
abstract class StepCommand implements Callable<Integer> {
  @Mixin CommonOptions common;

  @Option(
      names = "--date",
      paramLabel = "YYYY-MM-DD",
      description = "Run date (default: today, UTC); usage logs of that date partition are read.")
  String date;

  abstract String command();

  abstract List<Step> steps();

  @Override
  public Integer call() {
    AtlasConfig config = common.resolve();
    LocalDate d = date == null ? LocalDate.now(ZoneOffset.UTC) : CommonOptions.parseDate(date);
    SparkSession spark = RunSupport.session(config);
    if (!command().equals("gold")) {
      // Gold reads silver only; silver reads the model registry.
      RunSupport.requireInput(spark, config, command().equals("silver"));
    }
    RunContext ctx = RunSupport.context(spark, config, d, command());
    ctx.usagePartitions(List.of(d));
    org.trustatlas.run.Pipeline.run(ctx, steps());
    return AtlasCli.OK;
  }

  @Command(
      name = "bronze",
      mixinStandardHelpOptions = true,
      description = "Lands survey tables and the usage logs of the run date in bronze.")
  static final class Bronze extends StepCommand {
    @Override
    String command() {
      return "bronze";
    }

    @Override
    List<Step> steps() {
      return Layers.bronze();
    }
  }

  @Command(
      name = "silver",
      mixinStandardHelpOptions = true,
      description =
          "Builds silver.countries, silver.models, silver.country_measures and silver.usage_daily"
              + " from bronze.")
  static final class Silver extends StepCommand {
    @Override
    String command() {
      return "silver";
    }

    @Override
    List<Step> steps() {
      return Layers.silver();
    }
  }

  @Command(
      name = "gold",
      mixinStandardHelpOptions = true,
      description =
          "Builds gold.country_scorecard, gold.trust_uptake_correlation, gold.model_reach and the"
              + " report from silver.")
  static final class Gold extends StepCommand {
    @Override
    String command() {
      return "gold";
    }

    @Override
    List<Step> steps() {
      return Layers.gold();
    }
  }
}
