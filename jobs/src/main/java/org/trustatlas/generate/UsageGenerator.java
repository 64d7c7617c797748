package org.trustatlas.generate;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.trustatlas.config.ConfigException;

/**
 * Deterministic, streaming generator of the SYNTHETIC usage logs (SPEC.md Inputs 2): model-hub
 * downloads, API requests and app monthly actives, calibrated to research/figures.md 7a–7d.
 */
public final class UsageGenerator {
  public static final Path DEFAULT_REGISTRY = Path.of("data-samples", "reference", "models.csv");
  public static final Path DEFAULT_DIFFUSION =
      Path.of("data-samples", "surveys", "microsoft-ai-diffusion-2025h1", "data.csv");

  public static final String DOWNLOADS = "downloads";
  public static final String API_REQUESTS = "api_requests";
  public static final String APP_MAU = "app_mau";

  /** API requests per download event. */
  public static final double API_PER_DOWNLOAD = 0.5;

  /** Upper bound of {@code --rows-per-day} (well above the 50 M the generator is sized for). */
  public static final long MAX_ROWS_PER_DAY = 1_000_000_000L;

  public static final int MAX_DAYS = 3660;

  /** Rows per part file (downloads and API requests); a bigger day gets more parts. */
  public static final long PART_ROWS = 5_000_000L;

  private static final Pattern RUN_SECTION =
      Pattern.compile(
          "<!-- run from=(\\S+) days=(\\d+) -->\\n(.*?)<!-- /run -->\\n", Pattern.DOTALL);
  private static final Pattern COUNTS = Pattern.compile("<!-- counts (\\{.*?\\}) -->");

  private UsageGenerator() {}

  /**
   * What to generate.
   *
   * @param countries country table CSV, or null for the bundled {@code /reference/countries.csv}
   * @param threads days generated in parallel (0 = automatic); never changes the output
   */
  public record Options(
      Path out,
      LocalDate from,
      int days,
      long rowsPerDay,
      long seed,
      Path registry,
      Path countries,
      Path diffusion,
      int threads) {
    public Options {
      Objects.requireNonNull(out, "out");
      Objects.requireNonNull(from, "from");
      Objects.requireNonNull(registry, "registry");
      Objects.requireNonNull(diffusion, "diffusion");
      if (days < 1 || days > MAX_DAYS) {
        throw new ConfigException(
            "invalid --days "
                + days
                + ": use a number of days from 1 to "
                + MAX_DAYS
                + ", e.g. --days 28");
      }
      if (rowsPerDay < 1 || rowsPerDay > MAX_ROWS_PER_DAY) {
        throw new ConfigException(
            "invalid --rows-per-day "
                + rowsPerDay
                + ": use 1 to "
                + MAX_ROWS_PER_DAY
                + " download events per day, e.g. --rows-per-day 1000000");
      }
      if (threads < 0) {
        throw new ConfigException("invalid --threads " + threads + ": use 0 (automatic) or more");
      }
    }

    /** Options with the default registry, country table and AI-diffusion table. */
    public static Options of(Path out, LocalDate from, int days, long rowsPerDay, long seed) {
      return new Options(
          out, from, days, rowsPerDay, seed, DEFAULT_REGISTRY, null, DEFAULT_DIFFUSION, 0);
    }

    public Options withRegistry(Path p) {
      return new Options(out, from, days, rowsPerDay, seed, p, countries, diffusion, threads);
    }

    public Options withCountries(Path p) {
      return new Options(out, from, days, rowsPerDay, seed, registry, p, diffusion, threads);
    }

    public Options withDiffusion(Path p) {
      return new Options(out, from, days, rowsPerDay, seed, registry, countries, p, threads);
    }

    public Options withThreads(int n) {
      return new Options(out, from, days, rowsPerDay, seed, registry, countries, diffusion, n);
    }

    public LocalDate to() {
      return from.plusDays(days - 1L);
    }

    /** The command line that regenerates these files. */
    public String command() {
      StringBuilder b =
          new StringBuilder("bin/atlas generate --out ")
              .append(out)
              .append(" --from ")
              .append(from)
              .append(" --days ")
              .append(days)
              .append(" --rows-per-day ")
              .append(rowsPerDay)
              .append(" --seed ")
              .append(seed);
      if (!registry.equals(DEFAULT_REGISTRY)) {
        b.append(" --registry ").append(registry);
      }
      if (countries != null) {
        b.append(" --countries ").append(countries);
      }
      if (!diffusion.equals(DEFAULT_DIFFUSION)) {
        b.append(" --diffusion ").append(diffusion);
      }
      return b.toString();
    }
  }

  /**
   * What was written.
   *
   * @param rows rows per kind ({@code downloads}, {@code api_requests}, {@code app_mau})
   * @param categories per kind: rows per dirt category (each row is in exactly one)
   * @param calibration measured checks (R1 derivative multiplier, origin shares, DeepSeek shares)
   */
  public record Summary(
      Options options,
      Map<String, Long> rows,
      Map<String, Map<String, Long>> categories,
      List<YearMonth> months,
      Map<String, Double> calibration) {
    public long rows(String kind) {
      return rows.getOrDefault(kind, 0L);
    }

    public long count(String kind, String category) {
      return categories.getOrDefault(kind, Map.of()).getOrDefault(category, 0L);
    }
  }

  /** Generates the logs of {@code o} under {@code <out>/logs/}; same options → same bytes. */
  public static Summary generate(Options o) throws IOException {
    return generate(o, PART_ROWS);
  }

  /** As {@link #generate(Options)}, with at most {@code partRows} rows per part file. */
  static Summary generate(Options o, long partRows) throws IOException {
    ModelCatalog catalog = ModelCatalog.load(o.registry());
    CountryTable countries = CountryTable.load(o.countries(), o.diffusion());
    long apiPerDay = Math.max(1, Math.round(o.rowsPerDay() * API_PER_DOWNLOAD));
    ClientPool downloadClients =
        new ClientPool(countries, o.rowsPerDay(), 3.0, o.seed(), DownloadLog.KIND);
    ClientPool apiClients = new ClientPool(countries, apiPerDay, 20.0, o.seed(), ApiLog.KIND);
    DownloadLog downloads =
        new DownloadLog(catalog, countries, downloadClients, o.seed(), partRows);
    ApiLog api = new ApiLog(catalog, countries, apiClients, o.seed(), partRows);
    Path logs = o.out().resolve("logs");

    int threads =
        o.threads() > 0
            ? o.threads()
            : Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors()));
    threads = Math.min(threads, o.days());
    ExecutorService pool =
        Executors.newFixedThreadPool(
            threads,
            r -> {
              Thread t = new Thread(r, "atlas-generate");
              t.setDaemon(true);
              return t;
            });
    List<Future<DayResult>> futures = new ArrayList<>();
    try {
      for (int d = 0; d < o.days(); d++) {
        LocalDate date = o.from().plusDays(d);
        futures.add(
            pool.submit(
                () -> {
                  ModelCatalog.DaySampler[] samplers = new ModelCatalog.DaySampler[4];
                  for (int k = 0; k < samplers.length; k++) {
                    samplers[k] = catalog.sampler(date.minusDays(k), countries);
                  }
                  Path dl = partition(logs.resolve(DOWNLOADS), date.toString());
                  DownloadLog.DayResult dr = downloads.writeDay(dl, date, o.rowsPerDay(), samplers);
                  Path ap = partition(logs.resolve(API_REQUESTS), date.toString());
                  long[] ar = api.writeDay(ap, date, apiPerDay, samplers);
                  return new DayResult(date, dr, ar);
                }));
      }
      List<DayResult> results = new ArrayList<>();
      for (Future<DayResult> f : futures) {
        results.add(f.get());
      }
      List<YearMonth> months = new ArrayList<>();
      long[] mau = new long[Dirt.APP_MAU.size()];
      for (YearMonth m = YearMonth.from(o.from());
          !m.isAfter(YearMonth.from(o.to()));
          m = m.plusMonths(1)) {
        months.add(m);
        Path dir = logs.resolve(APP_MAU).resolve("date=" + m.atDay(1));
        Files.createDirectories(dir);
        long[] c = AppMau.write(dir.resolve("app_mau.csv"), m, countries, o.seed());
        for (int i = 0; i < c.length; i++) {
          mau[i] += c[i];
        }
      }
      Summary s = summarize(o, results, mau, months, catalog, countries);
      writeReadme(logs, s, countries);
      return s;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    } catch (ExecutionException e) {
      Throwable c = e.getCause();
      if (c instanceof IOException io) {
        throw io;
      }
      if (c instanceof RuntimeException re) {
        throw re;
      }
      throw new IOException(c);
    } finally {
      pool.shutdownNow();
    }
  }

  private record DayResult(LocalDate date, DownloadLog.DayResult downloads, long[] api) {}

  /** The partition directory, emptied of earlier parts (a re-run replaces a date). */
  private static Path partition(Path kindDir, String date) throws IOException {
    Path dir = kindDir.resolve("date=" + date);
    Files.createDirectories(dir);
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
      for (Path p : ds) {
        String n = p.getFileName().toString();
        if (Files.isRegularFile(p) && (n.startsWith("part-") || n.startsWith(".part-"))) {
          Files.delete(p);
        }
      }
    }
    return dir;
  }

  private static Summary summarize(
      Options o,
      List<DayResult> results,
      long[] mau,
      List<YearMonth> months,
      ModelCatalog catalog,
      CountryTable countries) {
    long[] dl = new long[Dirt.DOWNLOADS.size()];
    long[] ap = new long[Dirt.API.size()];
    long[] perModel = new long[catalog.all().size()];
    long[] perModelJan = new long[catalog.all().size()];
    long[][] deepseekByCountry = new long[countries.size()][2];
    for (DayResult r : results) {
      add(dl, r.downloads().categories());
      add(ap, r.api());
      add(perModel, r.downloads().perModel());
      if (YearMonth.from(r.date()).equals(AppMau.JAN_2025)) {
        add(perModelJan, r.downloads().perModel());
      }
      for (int c = 0; c < countries.size(); c++) {
        deepseekByCountry[c][0] += r.downloads().deepseekByCountry()[c][0];
        deepseekByCountry[c][1] += r.downloads().deepseekByCountry()[c][1];
      }
    }
    Map<String, Long> rows = new LinkedHashMap<>();
    rows.put(DOWNLOADS, sum(dl));
    rows.put(API_REQUESTS, sum(ap));
    rows.put(APP_MAU, sum(mau));
    Map<String, Map<String, Long>> cats = new LinkedHashMap<>();
    cats.put(DOWNLOADS, named(Dirt.DOWNLOADS, dl));
    cats.put(API_REQUESTS, named(Dirt.API, ap));
    cats.put(APP_MAU, named(Dirt.APP_MAU, mau));

    Map<String, Double> cal = new LinkedHashMap<>();
    double r1 = 0;
    double full = 0;
    double credited = 0;
    for (ModelCatalog.Model m : catalog.all()) {
      long n = perModelJan[m.index()];
      if (m.id().equals(ModelCatalog.R1)) {
        r1 += n;
      } else if (m.r1Credit() > 0) {
        full += n;
        credited += n * m.r1Credit();
      }
    }
    if (r1 > 0) {
      cal.put("r1_derivative_multiplier_jan2025_full", full / r1);
      cal.put("r1_derivative_multiplier_jan2025_credited", credited / r1);
    }
    double all = 0;
    Map<String, Double> dev = new TreeMap<>();
    Map<String, Double> origin = new TreeMap<>();
    for (ModelCatalog.Model m : catalog.all()) {
      long n = perModel[m.index()];
      if (n == 0) {
        continue;
      }
      all += n;
      String d =
          m.developerCountry() == null || m.developerCountry().isEmpty()
              ? "unknown"
              : m.developerCountry();
      dev.merge(bucket(d), (double) n, Double::sum);
      for (Map.Entry<String, Double> e : m.credit().entrySet()) {
        origin.merge(
            bucket(catalog.byId(e.getKey()).developerCountry()), n * e.getValue(), Double::sum);
      }
    }
    if (all > 0) {
      for (String k : List.of("CHN", "USA", "other")) {
        cal.put("download_share_developer_" + k, dev.getOrDefault(k, 0.0) / all);
      }
      for (String k : List.of("CHN", "USA", "other")) {
        cal.put("download_share_root_origin_" + k, origin.getOrDefault(k, 0.0) / all);
      }
    }
    for (String iso3 :
        List.of(
            "CHN", "RUS", "BLR", "IRN", "NGA", "ETH", "IND", "IDN", "BRA", "USA", "DEU", "GBR",
            "KOR")) {
      for (CountryTable.Country c : countries.all()) {
        long[] v = deepseekByCountry[c.index()];
        if (c.iso3().equals(iso3) && v[1] > 0) {
          cal.put("deepseek_download_share_" + iso3, (double) v[0] / v[1]);
        }
      }
    }
    return new Summary(o, rows, cats, List.copyOf(months), cal);
  }

  private static String bucket(String iso3) {
    return "CHN".equals(iso3) || "USA".equals(iso3) ? iso3 : "other";
  }

  private static Map<String, Long> named(List<String> names, long[] v) {
    Map<String, Long> m = new LinkedHashMap<>();
    for (int i = 0; i < names.size(); i++) {
      m.put(names.get(i), v[i]);
    }
    return m;
  }

  private static void add(long[] acc, long[] v) {
    for (int i = 0; i < v.length; i++) {
      acc[i] += v[i];
    }
  }

  private static long sum(long[] v) {
    long s = 0;
    for (long x : v) {
      s += x;
    }
    return s;
  }

  // ---- GENERATED.md ----

  private static void writeReadme(Path logs, Summary s, CountryTable countries) throws IOException {
    Path file = logs.resolve("GENERATED.md");
    Map<String, String> sections = new TreeMap<>();
    if (Files.isRegularFile(file)) {
      Matcher m = RUN_SECTION.matcher(Files.readString(file, StandardCharsets.UTF_8));
      while (m.find()) {
        sections.put(m.group(1) + " " + m.group(2), m.group(0));
      }
    }
    Options o = s.options();
    sections.put(o.from() + " " + o.days(), runSection(s));
    StringBuilder b = new StringBuilder();
    b.append("# Usage logs: SYNTHETIC\n\n");
    b.append(
        "**These files are synthetic. They are not real usage.** No public per-user-country usage"
            + " logs\n"
            + "exist. Every row here was made by Trust Atlas's deterministic generator\n"
            + "(`org.trustatlas.generate.UsageGenerator`, `bin/atlas generate`), calibrated to the"
            + " published\n"
            + "aggregates in `research/figures.md` sections 7a–7d. The same command gives"
            + " byte-identical files.\n\n");
    b.append(LAYOUT);
    b.append(calibrationText(countries));
    b.append(DIRT_TEXT);
    b.append("## Runs\n\n");
    b.append(
        "Each run below wrote the partitions of its date range (a re-run of a range replaces"
            + " them)\n"
            + "and the app_mau file of every month it touched.\n\n");
    Map<String, Long> totals = new LinkedHashMap<>();
    ObjectMapper json = new ObjectMapper();
    for (String section : sections.values()) {
      b.append(section);
      Matcher c = COUNTS.matcher(section);
      if (c.find()) {
        Map<String, Long> parsed =
            json.readValue(c.group(1), new TypeReference<LinkedHashMap<String, Long>>() {});
        parsed.forEach((k, v) -> totals.merge(k, v, Long::sum));
      }
    }
    b.append("\n## Totals over the runs above\n\n");
    b.append("| kind | category | rows |\n|---|---|---:|\n");
    totals.forEach(
        (k, v) -> {
          int dot = k.indexOf('.');
          b.append("| ")
              .append(k, 0, dot)
              .append(" | ")
              .append(k.substring(dot + 1))
              .append(" | ")
              .append(v)
              .append(" |\n");
        });
    Path tmp = logs.resolve(".GENERATED.md.inprogress");
    Files.writeString(tmp, b.toString(), StandardCharsets.UTF_8);
    Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
  }

  private static String runSection(Summary s) {
    Options o = s.options();
    StringBuilder b = new StringBuilder();
    b.append("<!-- run from=").append(o.from()).append(" days=").append(o.days()).append(" -->\n");
    b.append("### ")
        .append(o.from())
        .append(" … ")
        .append(o.to())
        .append(" (")
        .append(o.days())
        .append(o.days() == 1 ? " day" : " days")
        .append(")\n\n");
    b.append("Command (run from the repository root):\n\n```\n")
        .append(o.command())
        .append("\n```\n\n");
    b.append("Seed ")
        .append(o.seed())
        .append("; ")
        .append(o.rowsPerDay())
        .append(" download events and ")
        .append(Math.max(1, Math.round(o.rowsPerDay() * API_PER_DOWNLOAD)))
        .append(" API requests per day; app_mau months: ");
    List<String> ms = new ArrayList<>();
    s.months().forEach(m -> ms.add(m.toString()));
    b.append(String.join(", ", ms)).append(".\n\n");
    b.append("| kind | category | rows |\n|---|---|---:|\n");
    Map<String, Long> flat = new LinkedHashMap<>();
    s.categories()
        .forEach(
            (kind, cats) -> {
              b.append("| ")
                  .append(kind)
                  .append(" | **all** | ")
                  .append(s.rows(kind))
                  .append(" |\n");
              flat.put(kind + ".all", s.rows(kind));
              cats.forEach(
                  (cat, n) -> {
                    b.append("| ")
                        .append(kind)
                        .append(" | ")
                        .append(cat)
                        .append(" | ")
                        .append(n)
                        .append(" |\n");
                    flat.put(kind + "." + cat, n);
                  });
            });
    if (!s.calibration().isEmpty()) {
      b.append(
          "\nMeasured on these rows (downloads without bots, re-sends and truncated lines):\n\n");
      s.calibration()
          .forEach(
              (k, v) ->
                  b.append("- `")
                      .append(k)
                      .append("`: ")
                      .append(String.format(Locale.ROOT, "%.3f", v))
                      .append('\n'));
    }
    try {
      b.append("\n<!-- counts ")
          .append(new ObjectMapper().writeValueAsString(flat))
          .append(" -->\n");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    b.append("<!-- /run -->\n");
    return b.toString();
  }

  private static final String LAYOUT =
      "## Layout\n\n"
          + "- `downloads/date=YYYY-MM-DD/part-NNNNN.jsonl.gz`: model-hub download events, gzip"
          + " JSON lines, at most\n"
          + "  5,000,000 lines a part. Keys: `request_id` (UUID), `ts` (ISO-8601 UTC, millisecond,"
          + " `Z`), `model_id`,\n"
          + "  `file`, `client_ip` (IPv4), `country_code` (geo-IP ISO alpha-2; null or absent when"
          + " unknown),\n"
          + "  `user_agent`. One line is one download. Lines are in time order, except re-sends and"
          + " late events.\n"
          + "- `api_requests/date=YYYY-MM-DD/part-NNNNN.parquet`: API request logs (SNAPPY), at"
          + " most 5,000,000 rows a\n"
          + "  part. Columns: `request_id` STRING, `ts` TIMESTAMP (INT64 micros, UTC), `user_id`"
          + " STRING, `model_id`\n"
          + "  STRING, `country_code` STRING (nullable), `tokens_in` INT, `tokens_out` INT,"
          + " `status` INT (HTTP).\n"
          + "- `app_mau/date=YYYY-MM-01/app_mau.csv`: app monthly actives, one file per month,"
          + " header\n"
          + "  `month,app,country,monthly_active_users`; `country` is a name (English short names"
          + " and some\n"
          + "  variants), plus the aggregate rows `Worldwide` (the app's total) and `Other"
          + " countries` (countries\n"
          + "  under 1,000 users).\n\n";

  private static String calibrationText(CountryTable countries) {
    return "## Calibration\n\n"
        + "- Countries: "
        + countries.size()
        + " countries of the bundled country table, weighted by AI use = Microsoft AI-user share"
        + " (H1 2025,\n"
        + "  `data-samples/surveys/microsoft-ai-diffusion-2025h1`; "
        + countries.measuredCount()
        + " measured, the rest imputed with their region's median)\n"
        + "  × internet users (countries.csv; where missing for a measured country, population ×"
        + " its region's\n"
        + "  median internet penetration). A country with neither a measured share nor internet"
        + " users, or with\n"
        + "  no population either (Taiwan in this table), never appears.\n"
        + "- DeepSeek tilt: DeepSeek models are used more than AI use alone predicts in China,"
        + " Belarus, Russia,\n"
        + "  Cuba, Iran, Syria, much of Africa and Central Asia, and less in North America, Europe,"
        + " Israel, Japan\n"
        + "  and South Korea (figures.md 7b: shares by economy; the multipliers themselves are"
        + " synthetic).\n"
        + "- Downloads: only open-weight models released on or before the event date. Each root"
        + " family has a\n"
        + "  synthetic weight; within a family a download fetches a root with probability "
        + ModelCatalog.P_ROOT
        + ", else a\n"
        + "  derivative (heavy-tailed popularity per repo). DeepSeek-R1's derivatives (every"
        + " registry model with R1\n"
        + "  as an ancestor through `base_model`) are downloaded "
        + String.format(Locale.ROOT, "%.0f", ModelCatalog.R1_RATIO)
        + "× as often as R1 itself on every day from\n"
        + "  R1's release (2025-01-20), counted halfway between full counting and 1/k merge"
        + " credit\n"
        + "  (the seed article's ~5×; figures.md 7d: >3.2 M derivative downloads vs >0.7 M for R1"
        + " by\n"
        + "  Jan 29, 2025). Bots mirror any open model by popularity alone.\n"
        + "- API requests: closed models and DeepSeek's hosted endpoints, plus large open roots; US"
        + " closed models\n"
        + "  rare where blocked (China, Russia, Iran, ...). About 0.5 requests per download"
        + " event.\n"
        + "- App MAU: DeepSeek 33.7 M in 2025-01 and 96.5 M from 2025-04 (figures.md 7c: 33.7 M;"
        + " about 96 M,\n"
        + "  the seed article says 97 M), February and March interpolated; South Korea's DeepSeek"
        + " rows are the\n"
        + "  published WiseApp values (995,709 / 949,563 / 356,853 / 284,184 / 218,699 for Jan–May"
        + " 2025, May's\n"
        + "  value after May). ChatGPT 349.4 M and Doubao 78.6 M in 2025-01 (figures.md 7c), with"
        + " synthetic\n"
        + "  monthly trends (+3 % and +2 %). The split over countries is synthetic (AI use × tilt ×"
        + " ±10 % noise).\n\n";
  }

  private static final String DIRT_TEXT =
      "## Dirt\n\n"
          + "Every row is in exactly one category below; the per-run tables count them.\n\n"
          + "- `duplicate` (~2 %): an exact re-send of one of the previous 64 clean rows of the"
          + " same partition (same\n"
          + "  request id, same bytes).\n"
          + "- `bot_user_agent` (downloads, ~5 %): a bot or CI client. Recognise them"
          + " case-insensitively by one of\n"
          + "  `python-requests`, `curl/`, `wget/`, `go-http-client`, `github-actions`,"
          + " `gitlab-runner`, `bot`,\n"
          + "  `ci=true`. No normal user agent contains any of these.\n"
          + "- `missing_country` (~1 %): `country_code` null or absent (downloads), null (API).\n"
          + "- `malformed_country` (~0.5 %): `country_code` is `XX`, `usa`, the empty string or"
          + " `U`.\n"
          + "- `unknown_model` (~0.5 %): a model id that is not in the registry.\n"
          + "- `truncated_line` (downloads, ~0.1 %): the line is cut in half and does not parse as"
          + " JSON.\n"
          + "- `late_event` (~1 %): `ts` is 1–3 days before the partition date; the row belongs to"
          + " its own date.\n"
          + "- `error_status` (API, ~3 %): HTTP 4xx/5xx, `tokens_out` = 0.\n"
          + "- app_mau: `alternate_spelling` rows name a country with a variant (`Viet Nam`,"
          + " `Korea, Rep.`,\n"
          + "  `Russian Federation`, ...); `aggregate_row` rows (`Worldwide`, `Other countries`)"
          + " must be\n"
          + "  quarantined as aggregates.\n\n"
          + "Clients: an IP address belongs to one country; the same clients return day after day"
          + " (about three\n"
          + "downloads per client and day), so small countries have few distinct clients.\n\n";
}
