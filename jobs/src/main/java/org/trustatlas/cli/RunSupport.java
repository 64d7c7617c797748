package org.trustatlas.cli;

import java.io.PrintWriter;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.apache.spark.sql.SparkSession;
import org.trustatlas.config.AtlasConfig;
import org.trustatlas.io.SparkSessions;
import org.trustatlas.run.Pipeline;
import org.trustatlas.run.RunContext;
import org.trustatlas.run.Step;

/** Starts the session and runs steps for one date; shared by nightly and the step commands. */
final class RunSupport {
  private static final DateTimeFormatter STAMP =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'", Locale.ROOT).withZone(ZoneOffset.UTC);

  private RunSupport() {}

  static SparkSession session(AtlasConfig config) {
    return SparkSessions.create(config, "trust-atlas");
  }

  /**
   * Refuses a run whose input is not there, before any step writes: a mistyped {@code --input}
   * would otherwise land empty survey and log tables over good ones, and fail only later, at the
   * model registry (exit 2, like any configuration error).
   */
  static void requireInput(SparkSession spark, AtlasConfig config, boolean models) {
    var files = new org.trustatlas.io.InputFiles(spark);
    if (!files.exists(config.input())) {
      throw new org.trustatlas.config.ConfigException(
          "input folder "
              + config.input()
              + " does not exist: check --input (or input: in the configuration file)");
    }
    if (models) {
      org.trustatlas.silver.ModelsJob.requireRegistry(files, config.input());
    }
  }

  static RunContext context(
      SparkSession spark, AtlasConfig config, LocalDate date, String command) {
    Instant now = Instant.now();
    String runId =
        date + "_" + STAMP.format(now) + "_" + UUID.randomUUID().toString().substring(0, 8);
    return new RunContext(runId, date, command, config, spark, now);
  }

  static RunContext run(
      SparkSession spark, AtlasConfig config, LocalDate date, String command, List<Step> steps) {
    RunContext ctx = context(spark, config, date, command);
    Pipeline.run(ctx, steps);
    return ctx;
  }

  static void printTables(PrintWriter out, RunContext ctx) {
    out.println("Tables under " + ctx.warehouse().root() + ":");
    for (var spec : org.trustatlas.contract.Tables.ALL.values()) {
      if (ctx.warehouse().exists(spec)) {
        out.printf(Locale.ROOT, "  %-32s %s%n", spec.name(), ctx.warehouse().path(spec));
      }
    }
  }
}
