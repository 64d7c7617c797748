package org.trustatlas.cli;

import java.nio.file.Path;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import org.trustatlas.config.AtlasConfig;
import org.trustatlas.config.ConfigException;
import org.trustatlas.config.ConfigLoader;
import picocli.CommandLine.Option;

/** Options every command that touches the warehouse shares. Flags win over the file. */
final class CommonOptions {
  @Option(
      names = "--config",
      paramLabel = "FILE",
      description = "YAML configuration file (see atlas.example.yaml).")
  Path config;

  @Option(
      names = "--input",
      paramLabel = "DIR",
      description = "Input root, local or s3a:// (default: data-samples).")
  String input;

  @Option(
      names = "--warehouse",
      paramLabel = "DIR",
      description = "Warehouse root, local or s3a:// (default: ./warehouse).")
  String warehouse;

  @Option(
      names = "--master",
      paramLabel = "URL",
      description =
          "Spark master for the embedded session (default local[*]; ignored under spark-submit).")
  String master;

  AtlasConfig resolve() {
    AtlasConfig.Builder b = ConfigLoader.load(config, System.getenv());
    if (input != null) {
      b.input(input);
    }
    if (warehouse != null) {
      b.warehouse(warehouse);
    }
    if (master != null) {
      b.master(master);
    }
    return b.build();
  }

  static LocalDate parseDate(String text) {
    try {
      return LocalDate.parse(text);
    } catch (DateTimeParseException e) {
      throw new ConfigException(
          "invalid --date '" + text + "': use YYYY-MM-DD, e.g. --date 2025-01-31");
    }
  }
}
