package org.trustatlas.generate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.example.GroupReadSupport;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.trustatlas.cli.AtlasCli;
import org.trustatlas.config.ConfigException;
import org.trustatlas.reference.CountryResolver;
import org.trustatlas.reference.Csv;
import org.trustatlas.reference.Resolution;

/** The usage-log generator: determinism, layout, dirt fractions and calibration. No Spark. */
class UsageGeneratorTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final LocalDate FROM = LocalDate.of(2025, 1, 27);
  private static final int DAYS = 2;
  private static final long ROWS = 6000;

  @TempDir static Path tmp;
  static Path root;
  static UsageGenerator.Summary summary;
  static Path logs;
  static Map<String, Registry> registry;

  record Registry(LocalDate release, List<String> parents) {}

  @BeforeAll
  static void generate() throws IOException {
    root = repoRoot();
    summary = UsageGenerator.generate(options(tmp.resolve("a")));
    logs = tmp.resolve("a").resolve("logs");
    registry = readRegistry(root.resolve(UsageGenerator.DEFAULT_REGISTRY));
  }

  private static UsageGenerator.Options options(Path out) {
    return UsageGenerator.Options.of(out, FROM, DAYS, ROWS, 42)
        .withRegistry(root.resolve(UsageGenerator.DEFAULT_REGISTRY))
        .withDiffusion(root.resolve(UsageGenerator.DEFAULT_DIFFUSION));
  }

  @Test
  void sameArgumentsGiveByteIdenticalFiles() throws IOException {
    UsageGenerator.generate(options(tmp.resolve("b")).withThreads(1));
    Path a = tmp.resolve("a");
    Path b = tmp.resolve("b");
    List<Path> files = files(a);
    assertThat(files).hasSize(2 * DAYS + 2); // downloads + API per day, one app_mau, GENERATED.md
    assertThat(files(b)).isEqualTo(files);
    for (Path rel : files) {
      byte[] x = Files.readAllBytes(a.resolve(rel));
      byte[] y = Files.readAllBytes(b.resolve(rel));
      if (rel.endsWith("GENERATED.md")) {
        String sx = new String(x, StandardCharsets.UTF_8).replace(a.toString(), "OUT");
        String sy = new String(y, StandardCharsets.UTF_8).replace(b.toString(), "OUT");
        assertThat(sy).isEqualTo(sx);
      } else {
        assertThat(y).as(rel.toString()).isEqualTo(x);
      }
    }
  }

  @Test
  void anotherJvmWritesTheSameBytes() throws Exception {
    // Catches order that follows identity hash codes (e.g. parquet-mr's encoding sets), which is
    // stable inside one JVM but not across runs.
    Path out = tmp.resolve("jvm");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process p =
        new ProcessBuilder(
                java,
                "-cp",
                System.getProperty("java.class.path"),
                "org.trustatlas.cli.AtlasCli",
                "generate",
                "--out",
                out.toString(),
                "--from",
                FROM.toString(),
                "--days",
                String.valueOf(DAYS),
                "--rows-per-day",
                String.valueOf(ROWS),
                "--seed",
                "42",
                "--registry",
                root.resolve(UsageGenerator.DEFAULT_REGISTRY).toString(),
                "--diffusion",
                root.resolve(UsageGenerator.DEFAULT_DIFFUSION).toString())
            .redirectErrorStream(true)
            .redirectOutput(tmp.resolve("jvm.log").toFile())
            .start();
    assertThat(p.waitFor()).as(Files.readString(tmp.resolve("jvm.log"))).isZero();
    Path a = tmp.resolve("a");
    for (Path rel : files(a)) {
      if (!rel.endsWith("GENERATED.md")) {
        assertThat(Files.readAllBytes(out.resolve(rel)))
            .as(rel.toString())
            .isEqualTo(Files.readAllBytes(a.resolve(rel)));
      }
    }
  }

  @Test
  void rerunReplacesPartitionsAndKeepsOtherRunsInGeneratedMd() throws IOException {
    Path out = tmp.resolve("c");
    UsageGenerator.generate(options(out));
    byte[] before =
        Files.readAllBytes(partFile(out.resolve("logs"), "downloads", FROM, "jsonl.gz"));
    UsageGenerator.generate(
        UsageGenerator.Options.of(out, LocalDate.of(2025, 4, 7), 1, 500, 42)
            .withRegistry(root.resolve(UsageGenerator.DEFAULT_REGISTRY))
            .withDiffusion(root.resolve(UsageGenerator.DEFAULT_DIFFUSION)));
    UsageGenerator.generate(options(out));
    assertThat(Files.readAllBytes(partFile(out.resolve("logs"), "downloads", FROM, "jsonl.gz")))
        .isEqualTo(before);
    String md = Files.readString(out.resolve("logs/GENERATED.md"));
    assertThat(md)
        .contains("SYNTHETIC")
        .contains("--from 2025-01-27 --days 2 --rows-per-day 6000 --seed 42")
        .contains("--from 2025-04-07 --days 1 --rows-per-day 500 --seed 42")
        .contains("## Totals over the runs above")
        .contains("| downloads | all | " + (DAYS * ROWS + 500) + " |");
    assertThat(md.indexOf("--from 2025-01-27")).isLessThan(md.indexOf("--from 2025-04-07"));
  }

  @Test
  void downloadLinesHaveTheContractKeysAndTheCountedDirt() throws IOException {
    Map<String, Long> seen = new TreeMap<>();
    long lines = 0;
    for (int d = 0; d < DAYS; d++) {
      LocalDate date = FROM.plusDays(d);
      Set<String> ids = new HashSet<>();
      for (String line : lines(partFile(logs, "downloads", date, "jsonl.gz"))) {
        lines++;
        JsonNode n;
        try {
          n = JSON.readTree(line);
        } catch (IOException e) {
          seen.merge(Dirt.TRUNCATED, 1L, Long::sum);
          continue;
        }
        String id = n.get("request_id").asText();
        if (!ids.add(id)) {
          seen.merge(Dirt.DUPLICATE, 1L, Long::sum);
          continue;
        }
        assertThat(id)
            .matches("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
        String ts = n.get("ts").asText();
        assertThat(ts).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
        LocalDate eventDate = LocalDate.parse(ts.substring(0, 10));
        assertThat(n.get("client_ip").asText()).matches("\\d{1,3}(\\.\\d{1,3}){3}");
        assertThat(n.get("file").asText()).isNotBlank();
        String model = n.get("model_id").asText();
        String agent = n.get("user_agent").asText();
        JsonNode cc = n.get("country_code");
        Registry r = registry.get(model);
        if (r != null) {
          assertThat(r.release())
              .as(model + " released by " + eventDate)
              .isBeforeOrEqualTo(eventDate);
        }
        if (isBot(agent)) {
          seen.merge(Dirt.BOT, 1L, Long::sum);
        } else if (cc == null || cc.isNull()) {
          seen.merge(Dirt.MISSING_COUNTRY, 1L, Long::sum);
        } else if (!cc.asText().matches("[A-Z]{2}") || cc.asText().equals("XX")) {
          seen.merge(Dirt.MALFORMED_COUNTRY, 1L, Long::sum);
        } else if (r == null) {
          seen.merge(Dirt.UNKNOWN_MODEL, 1L, Long::sum);
        } else if (eventDate.isBefore(date)) {
          assertThat(eventDate).isBetween(date.minusDays(3), date.minusDays(1));
          seen.merge(Dirt.LATE, 1L, Long::sum);
        } else {
          assertThat(eventDate).isEqualTo(date);
          seen.merge(Dirt.CLEAN, 1L, Long::sum);
        }
      }
    }
    assertThat(lines).isEqualTo(DAYS * ROWS).isEqualTo(summary.rows(UsageGenerator.DOWNLOADS));
    for (String cat : Dirt.DOWNLOADS) {
      assertThat(seen.getOrDefault(cat, 0L))
          .as(cat)
          .isEqualTo(summary.count(UsageGenerator.DOWNLOADS, cat));
    }
    double n = lines;
    assertThat(seen.get(Dirt.DUPLICATE) / n).isCloseTo(0.02, within(0.006));
    assertThat(seen.get(Dirt.BOT) / n).isCloseTo(0.05, within(0.01));
    assertThat(seen.get(Dirt.MISSING_COUNTRY) / n).isCloseTo(0.01, within(0.004));
    assertThat(seen.get(Dirt.MALFORMED_COUNTRY) / n).isCloseTo(0.005, within(0.003));
    assertThat(seen.get(Dirt.UNKNOWN_MODEL) / n).isCloseTo(0.005, within(0.003));
    assertThat(seen.get(Dirt.LATE) / n).isCloseTo(0.01, within(0.004));
    assertThat(seen.get(Dirt.TRUNCATED)).isPositive();
    assertThat(seen.get(Dirt.TRUNCATED) / n).isLessThan(0.004);
  }

  @Test
  void bigDaysAreSplitIntoPartsThatTogetherHoldTheSameRows() throws IOException {
    Path out = tmp.resolve("parts");
    LocalDate day = LocalDate.of(2025, 4, 8);
    UsageGenerator.Options o =
        UsageGenerator.Options.of(out, day, 1, 2500, 7)
            .withRegistry(root.resolve(UsageGenerator.DEFAULT_REGISTRY))
            .withDiffusion(root.resolve(UsageGenerator.DEFAULT_DIFFUSION));
    UsageGenerator.generate(o, 1000);
    Path dl = out.resolve("logs/downloads/date=" + day);
    Path api = out.resolve("logs/api_requests/date=" + day);
    assertThat(files(dl).stream().map(Path::toString))
        .containsExactly("part-00000.jsonl.gz", "part-00001.jsonl.gz", "part-00002.jsonl.gz");
    assertThat(files(api).stream().map(Path::toString))
        .containsExactly("part-00000.parquet", "part-00001.parquet");
    List<String> split = new ArrayList<>();
    for (Path p : files(dl)) {
      List<String> part = lines(dl.resolve(p));
      assertThat(part.size()).isLessThanOrEqualTo(1000);
      split.addAll(part);
    }
    Path whole = tmp.resolve("whole");
    UsageGenerator.generate(
        UsageGenerator.Options.of(whole, day, 1, 2500, 7)
            .withRegistry(root.resolve(UsageGenerator.DEFAULT_REGISTRY))
            .withDiffusion(root.resolve(UsageGenerator.DEFAULT_DIFFUSION)));
    assertThat(split)
        .isEqualTo(lines(partFile(whole.resolve("logs"), "downloads", day, "jsonl.gz")));
    // A re-run with one part per day removes the extra parts of the earlier run.
    UsageGenerator.generate(o);
    assertThat(files(dl).stream().map(Path::toString)).containsExactly("part-00000.jsonl.gz");
  }

  @Test
  void normalUserAgentsNeverLookLikeBots() {
    for (String a : Dirt.NORMAL_AGENTS) {
      assertThat(isBot(a)).as(a).isFalse();
    }
    for (String a : Dirt.BOT_AGENTS) {
      assertThat(isBot(a)).as(a).isTrue();
    }
  }

  @Test
  void r1DerivativesAreDownloadedAboutFiveTimesAsOftenAsR1() throws IOException {
    Map<String, Double> r1Credit = new HashMap<>();
    for (String id : registry.keySet()) {
      r1Credit.put(id, credit(id, ModelCatalog.R1));
    }
    long r1 = 0;
    long derivatives = 0;
    double credited = 0;
    Set<String> ids = new HashSet<>();
    for (String line : lines(partFile(logs, "downloads", FROM, "jsonl.gz"))) {
      JsonNode n;
      try {
        n = JSON.readTree(line);
      } catch (IOException e) {
        continue;
      }
      if (!ids.add(n.get("request_id").asText()) || isBot(n.get("user_agent").asText())) {
        continue;
      }
      String model = n.get("model_id").asText();
      if (model.equals(ModelCatalog.R1)) {
        r1++;
      } else if (r1Credit.getOrDefault(model, 0.0) > 0) {
        derivatives++;
        credited += r1Credit.get(model);
      }
    }
    assertThat(r1).isGreaterThan(50);
    assertThat((double) derivatives / r1).isBetween(4.0, 6.0);
    assertThat(credited / r1).isBetween(4.0, 6.0);
  }

  @Test
  void apiRequestsReadBackAsParquetWithTheContractSchema() throws IOException {
    long rows = 0;
    long errors = 0;
    long nullCountry = 0;
    Set<String> models = new TreeSet<>();
    for (int d = 0; d < DAYS; d++) {
      Path file = partFile(logs, "api_requests", FROM.plusDays(d), "parquet");
      org.apache.hadoop.fs.Path hp = new org.apache.hadoop.fs.Path(file.toUri());
      org.apache.hadoop.conf.Configuration conf = new org.apache.hadoop.conf.Configuration();
      try (ParquetFileReader r = ParquetFileReader.open(HadoopInputFile.fromPath(hp, conf))) {
        MessageType schema = r.getFooter().getFileMetaData().getSchema();
        assertThat(schema.getType("ts").getLogicalTypeAnnotation())
            .isEqualTo(
                LogicalTypeAnnotation.timestampType(true, LogicalTypeAnnotation.TimeUnit.MICROS));
        assertThat(schema.getFields())
            .extracting(f -> f.getName())
            .containsExactly(
                "request_id",
                "ts",
                "user_id",
                "model_id",
                "country_code",
                "tokens_in",
                "tokens_out",
                "status");
      }
      try (ParquetReader<Group> reader =
          ParquetReader.builder(new GroupReadSupport(), hp).withConf(conf).build()) {
        for (Group g; (g = reader.read()) != null; ) {
          rows++;
          int status = g.getInteger("status", 0);
          if (status >= 400) {
            errors++;
          }
          if (g.getFieldRepetitionCount("country_code") == 0) {
            nullCountry++;
          }
          models.add(g.getString("model_id", 0));
          assertThat(g.getString("user_id", 0)).startsWith("usr_");
        }
      }
    }
    assertThat(rows)
        .isEqualTo(summary.rows(UsageGenerator.API_REQUESTS))
        .isEqualTo(DAYS * ROWS / 2);
    assertThat(errors).isEqualTo(summary.count(UsageGenerator.API_REQUESTS, Dirt.ERROR_STATUS));
    assertThat((double) errors / rows).isCloseTo(0.03, within(0.01));
    assertThat(nullCountry)
        .isEqualTo(summary.count(UsageGenerator.API_REQUESTS, Dirt.MISSING_COUNTRY));
    assertThat(models)
        .contains("deepseek-ai/deepseek-chat", "deepseek-ai/deepseek-reasoner", "openai/gpt-4o");
  }

  @Test
  void appMauCarriesDeepSeeksPublishedTotalsAndResolvableCountryNames() throws IOException {
    Path file = logs.resolve("app_mau/date=2025-01-01/app_mau.csv");
    List<Csv.Record> recs;
    try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      recs = Csv.read(r, ',');
    }
    assertThat(recs.get(0).fields())
        .containsExactly("month", "app", "country", "monthly_active_users");
    CountryResolver resolver = CountryResolver.load(false);
    long deepseekCountries = 0;
    Long worldwide = null;
    Long korea = null;
    Set<String> apps = new LinkedHashSet<>();
    for (Csv.Record rec : recs.subList(1, recs.size())) {
      List<String> f = rec.fields();
      assertThat(f.get(0)).isEqualTo("2025-01");
      apps.add(f.get(1));
      Resolution res = resolver.resolve(f.get(2));
      long users = Long.parseLong(f.get(3));
      if (f.get(2).equals(AppMau.WORLDWIDE) || f.get(2).equals(AppMau.OTHER)) {
        assertThat(res.status()).isEqualTo(Resolution.Status.AGGREGATE);
        if (f.get(1).equals("DeepSeek") && f.get(2).equals(AppMau.WORLDWIDE)) {
          worldwide = users;
        }
        continue;
      }
      assertThat(res.status()).as(f.get(2)).isEqualTo(Resolution.Status.RESOLVED);
      if (f.get(1).equals("DeepSeek")) {
        deepseekCountries += users;
        if ("KOR".equals(res.iso3())) {
          korea = users;
        }
      }
    }
    assertThat(apps).contains("DeepSeek", "ChatGPT");
    assertThat(worldwide).isEqualTo(33_700_000L);
    assertThat((double) deepseekCountries).isCloseTo(33_700_000.0, within(0.05 * 33_700_000));
    assertThat(korea).isEqualTo(995_709L);
    assertThat(AppMau.deepseekTotal(java.time.YearMonth.of(2025, 4)))
        .isBetween(96_000_000L, 97_000_000L);
  }

  @Test
  void badOptionsAreConfigErrors() {
    assertThatThrownBy(() -> UsageGenerator.Options.of(tmp, FROM, 0, 10, 1))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("--days");
    assertThatThrownBy(() -> UsageGenerator.Options.of(tmp, FROM, 1, 0, 1))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("--rows-per-day");
    assertThatThrownBy(
            () ->
                UsageGenerator.generate(
                    options(tmp.resolve("x")).withRegistry(tmp.resolve("missing.csv"))))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("--registry");
  }

  @Test
  void commandLineRunsAndRejectsBadValuesWithExitCodeTwo() {
    String registryArg = root.resolve(UsageGenerator.DEFAULT_REGISTRY).toString();
    String diffusionArg = root.resolve(UsageGenerator.DEFAULT_DIFFUSION).toString();
    java.io.StringWriter out = new java.io.StringWriter();
    java.io.StringWriter err = new java.io.StringWriter();
    int ok =
        AtlasCli.execute(
            new java.io.PrintWriter(out),
            new java.io.PrintWriter(err),
            "generate",
            "--out",
            tmp.resolve("cli").toString(),
            "--from",
            "2025-04-07",
            "--days",
            "1",
            "--rows-per-day",
            "300",
            "--seed",
            "3",
            "--registry",
            registryArg,
            "--diffusion",
            diffusionArg);
    assertThat(ok).as(err.toString()).isEqualTo(AtlasCli.OK);
    assertThat(out.toString()).contains("SYNTHETIC").contains("downloads");
    assertThat(Files.isRegularFile(tmp.resolve("cli/logs/GENERATED.md"))).isTrue();

    for (String[] bad :
        List.of(
            new String[] {"--from", "2025-13-01", "--days", "1", "--rows-per-day", "10"},
            new String[] {"--from", "2025-04-07", "--days", "0", "--rows-per-day", "10"},
            new String[] {"--from", "2025-04-07", "--days", "1", "--rows-per-day", "-5"})) {
      java.io.StringWriter e = new java.io.StringWriter();
      List<String> args =
          new ArrayList<>(
              List.of("generate", "--out", tmp.resolve("bad").toString(), "--seed", "1"));
      args.addAll(List.of(bad));
      args.addAll(List.of("--registry", registryArg, "--diffusion", diffusionArg));
      int code =
          AtlasCli.execute(
              new java.io.PrintWriter(new java.io.StringWriter()),
              new java.io.PrintWriter(e),
              args.toArray(new String[0]));
      assertThat(code).as(e.toString()).isEqualTo(AtlasCli.USAGE);
      assertThat(e.toString()).contains("invalid --");
    }
  }

  // ---- helpers ----

  static boolean isBot(String agent) {
    String a = agent.toLowerCase(Locale.ROOT);
    return Dirt.BOT_PATTERNS.stream().anyMatch(a::contains);
  }

  private double credit(String id, String root) {
    Registry r = registry.get(id);
    if (r.parents().isEmpty()) {
      return id.equals(root) ? 1.0 : 0.0;
    }
    double c = 0;
    for (String p : r.parents()) {
      c += credit(p, root) / r.parents().size();
    }
    return id.equals(root) ? 1.0 : c;
  }

  private static Path partFile(Path logs, String kind, LocalDate date, String ext) {
    return logs.resolve(kind).resolve("date=" + date).resolve("part-00000." + ext);
  }

  private static List<String> lines(Path gz) throws IOException {
    List<String> out = new ArrayList<>();
    try (BufferedReader r =
        new BufferedReader(
            new InputStreamReader(
                new GZIPInputStream(Files.newInputStream(gz)), StandardCharsets.UTF_8))) {
      for (String line; (line = r.readLine()) != null; ) {
        out.add(line);
      }
    }
    return out;
  }

  private static List<Path> files(Path dir) throws IOException {
    try (Stream<Path> s = Files.walk(dir)) {
      return s.filter(Files::isRegularFile).map(dir::relativize).sorted().toList();
    }
  }

  private static Map<String, Registry> readRegistry(Path file) throws IOException {
    Map<String, Registry> out = new HashMap<>();
    try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      List<Csv.Record> recs = Csv.read(r, ',');
      List<String> h = recs.get(0).fields();
      for (Csv.Record rec : recs.subList(1, recs.size())) {
        List<String> f = rec.fields();
        String base = f.get(h.indexOf("base_model"));
        out.put(
            f.get(h.indexOf("model_id")),
            new Registry(
                LocalDate.parse(f.get(h.indexOf("release_date"))),
                base.isBlank() ? List.of() : List.of(base.split(";"))));
      }
    }
    return out;
  }

  private static Path repoRoot() {
    String prop = System.getProperty("atlas.repo.root");
    if (prop != null) {
      return Path.of(prop);
    }
    Path p = Path.of("").toAbsolutePath();
    while (p != null && !Files.isRegularFile(p.resolve(UsageGenerator.DEFAULT_REGISTRY))) {
      p = p.getParent();
    }
    if (p == null) {
      throw new IllegalStateException("repository root (with data-samples/) not found");
    }
    return p;
  }
}
