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
    AtlasConfig c = b.build();
    checkNames(c);
    return c;
  }

  /** Every expectation the steps check, by the name quality.expectations overrides. */
  static java.util.Set<String> expectationNames() {
    java.util.Set<String> names = new java.util.TreeSet<>();
    org.trustatlas.gold.GoldJob.SCORECARD_EXPECTATIONS.forEach(e -> names.add(e.name()));
    org.trustatlas.silver.MeasuresJob.EXPECTATIONS.forEach(e -> names.add(e.name()));
    for (var spec :
        java.util.List.of(
            org.trustatlas.contract.Tables.COUNTRY_SCORECARD,
            org.trustatlas.contract.Tables.COUNTRY_MEASURES)) {
      names.add(spec.table() + "_unique_key");
    }
    names.add(org.trustatlas.silver.ModelsJob.ROOT_HAS_ORIGIN);
    return names;
  }

  /**
   * Names the file gives that the code must know: a misspelt expectation would leave its gate at
   * the default level without a word, a misspelt uptake metric would publish no scorecard.
   */
  static void checkNames(AtlasConfig c) {
    java.util.Set<String> known = expectationNames();
    for (String name : c.expectationLevels().keySet()) {
      if (!known.contains(name)) {
        throw new ConfigException(
            "invalid key 'quality.expectations."
                + name
                + "': no expectation has that name"
                + org.trustatlas.config.Suggest.hint(name, known)
                + "; the expectations are "
                + String.join(", ", known));
      }
    }
    var uptake = org.trustatlas.gold.Scorecard.UPTAKE_METRICS;
    if (!uptake.contains(c.primaryUptakeMetric())) {
      throw new ConfigException(
          "invalid value for 'gold.primary_uptake_metric': '"
              + c.primaryUptakeMetric()
              + "' is no uptake metric"
              + org.trustatlas.config.Suggest.hint(c.primaryUptakeMetric(), uptake)
              + "; use one of "
              + String.join(", ", uptake));
    }
  }

  static LocalDate parseDate(String text) {
    LocalDate d;
    try {
      d = LocalDate.parse(text);
    } catch (DateTimeParseException e) {
      throw new ConfigException(
          "invalid --date '" + text + "': use YYYY-MM-DD, e.g. --date 2025-01-31");
    }
    // A day ahead is allowed (a partition named in another time zone); later is a typo, and its
    // run would leave the survey steps' quarantine under a date no log will ever have.
    LocalDate latest = LocalDate.now(java.time.ZoneOffset.UTC).plusDays(1);
    if (d.isAfter(latest)) {
      throw new ConfigException(
          "invalid --date '"
              + text
              + "': it is in the future (today is "
              + latest.minusDays(1)
              + " UTC); a run date is at most tomorrow");
    }
    return d;
  }
}
