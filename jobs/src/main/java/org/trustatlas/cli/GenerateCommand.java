package org.trustatlas.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.trustatlas.config.ConfigException;
import org.trustatlas.generate.UsageGenerator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Writes the deterministic SYNTHETIC usage logs (downloads, API requests, app monthly actives). */
@Command(
    name = "generate",
    mixinStandardHelpOptions = true,
    description = {
      "Generates SYNTHETIC usage logs under DIR/logs/: model-hub downloads (gzip JSON lines),",
      "API requests (Parquet) and app monthly actives (CSV), partitioned by date and calibrated",
      "to research/figures.md. Same arguments give byte-identical files. No Spark is started."
    })
final class GenerateCommand implements Callable<Integer> {
  @Option(
      names = "--out",
      required = true,
      paramLabel = "DIR",
      description = "Input root to write into (files go to DIR/logs/), e.g. data-samples.")
  Path out;

  @Option(
      names = "--from",
      required = true,
      paramLabel = "YYYY-MM-DD",
      description = "First partition date.")
  String from;

  @Option(names = "--days", required = true, paramLabel = "N", description = "Number of days.")
  int days;

  @Option(
      names = "--rows-per-day",
      required = true,
      paramLabel = "N",
      description = "Download events per day (API requests: about half as many).")
  long rowsPerDay;

  @Option(names = "--seed", required = true, paramLabel = "S", description = "Random seed.")
  long seed;

  @Option(
      names = "--registry",
      paramLabel = "FILE",
      description = "Model registry CSV (default: data-samples/reference/models.csv).")
  Path registry;

  @Option(
      names = "--diffusion",
      paramLabel = "FILE",
      description =
          "AI-diffusion table with its source.yaml beside it"
              + " (default: data-samples/surveys/microsoft-ai-diffusion-2025h1/data.csv).")
  Path diffusion;

  @Option(
      names = "--countries",
      paramLabel = "FILE",
      description = "Country table CSV (default: the bundled reference/countries.csv).")
  Path countries;

  @Option(
      names = "--threads",
      paramLabel = "N",
      description =
          "Days generated in parallel (default: automatic, at most 4); output is the same.")
  int threads;

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    UsageGenerator.Options o = options();
    UsageGenerator.Summary s = UsageGenerator.generate(o);
    PrintWriter w = spec.commandLine().getOut();
    w.printf(
        Locale.ROOT,
        "generated SYNTHETIC logs %s .. %s under %s (seed %d)%n",
        o.from(),
        o.to(),
        o.out().resolve("logs"),
        o.seed());
    for (Map.Entry<String, Map<String, Long>> kind : s.categories().entrySet()) {
      w.printf(Locale.ROOT, "  %-13s %,d rows%n", kind.getKey(), s.rows(kind.getKey()));
      kind.getValue().forEach((cat, n) -> w.printf(Locale.ROOT, "    %-20s %,d%n", cat, n));
    }
    s.calibration().forEach((k, v) -> w.printf(Locale.ROOT, "  %s = %.3f%n", k, v));
    w.flush();
    return AtlasCli.OK;
  }

  UsageGenerator.Options options() {
    LocalDate start;
    try {
      start = LocalDate.parse(from);
    } catch (DateTimeParseException e) {
      throw new ConfigException(
          "invalid --from '" + from + "': use YYYY-MM-DD, e.g. --from 2025-01-06");
    }
    // --days, --rows-per-day and --threads are checked by UsageGenerator.Options.
    if (Files.exists(out) && !Files.isDirectory(out)) {
      throw new ConfigException("invalid --out " + out + ": it is a file; give a directory");
    }
    UsageGenerator.Options o =
        UsageGenerator.Options.of(out, start, days, rowsPerDay, seed).withThreads(threads);
    if (registry != null) {
      requireFile(
          "--registry", registry, "the model registry CSV, e.g. data-samples/reference/models.csv");
      o = o.withRegistry(registry);
    } else if (!Files.isRegularFile(o.registry())) {
      throw new ConfigException(
          "--registry not given and "
              + o.registry()
              + " not found: run from the repository root or pass --registry FILE");
    }
    if (diffusion != null) {
      requireFile(
          "--diffusion", diffusion, "the AI-diffusion data.csv with its source.yaml beside it");
      o = o.withDiffusion(diffusion);
    } else if (!Files.isRegularFile(o.diffusion())) {
      throw new ConfigException(
          "--diffusion not given and "
              + o.diffusion()
              + " not found: run from the repository root or pass --diffusion FILE");
    }
    if (countries != null) {
      requireFile(
          "--countries", countries, "a country table CSV in the format of reference/countries.csv");
      o = o.withCountries(countries);
    }
    return o;
  }

  private static void requireFile(String flag, Path p, String what) {
    if (!Files.isRegularFile(p)) {
      throw new ConfigException("invalid " + flag + " " + p + ": no such file; give " + what);
    }
  }
}
