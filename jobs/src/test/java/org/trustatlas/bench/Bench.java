package org.trustatlas.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobEnd;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.trustatlas.bronze.SurveyBronzeJob;
import org.trustatlas.bronze.UsageBronzeJob;
import org.trustatlas.config.AtlasConfig;
import org.trustatlas.contract.TableSpec;
import org.trustatlas.contract.Tables;
import org.trustatlas.gold.GoldJob;
import org.trustatlas.io.SparkSessions;
import org.trustatlas.io.Warehouse;
import org.trustatlas.run.Pipeline;
import org.trustatlas.run.RunContext;
import org.trustatlas.run.Step;
import org.trustatlas.silver.CountriesJob;
import org.trustatlas.silver.MeasuresJob;
import org.trustatlas.silver.ModelsJob;
import org.trustatlas.silver.UsageSilverJob;

/**
 * One-JVM benchmark of the usage steps of {@code nightly} against Spark's own floor and DuckDB,
 * over the same generated input. Not a test: run by {@code bench/run}.
 *
 * <pre>
 * Bench --input DIR --dates 2025-04-19,2025-04-20 --work DIR --iterations 4 --json OUT.json
 *       [--skip-duckdb] [--conf k=v ...]
 * </pre>
 *
 * Cold = the first iteration of each measure in this JVM; warm = median of the others. Each measure
 * records wall time, this process's CPU time (all threads, incl. DuckDB's native ones), peak heap
 * (the heap in use just before each garbage collection and at the end, see {@link HeapPeak}) and
 * peak RSS (VmHWM, reset through /proc/self/clear_refs before each measure when the kernel allows
 * it).
 */
public final class Bench {
  private Bench() {}

  /** One measurement. */
  record Sample(double wallS, double cpuS, long peakHeapMb, long peakRssMb) {}

  public static void main(String[] args) throws Exception {
    Map<String, List<String>> a = parse(args);
    Path input = Path.of(one(a, "--input")).toAbsolutePath();
    Path work = Path.of(one(a, "--work")).toAbsolutePath();
    int iterations = Integer.parseInt(a.getOrDefault("--iterations", List.of("4")).get(0));
    List<LocalDate> dates =
        Arrays.stream(one(a, "--dates").split(",")).map(LocalDate::parse).toList();
    Path json = Path.of(one(a, "--json"));
    boolean duck = !a.containsKey("--skip-duckdb");
    Files.createDirectories(work);
    deleteTree(work);
    Files.createDirectories(work);

    AtlasConfig.Builder cb =
        AtlasConfig.builder().input(input.toString()).master("local[2]").warehouse("unused");
    for (String kv : a.getOrDefault("--conf", List.of())) {
      int i = kv.indexOf('=');
      cb.sparkConf(kv.substring(0, i), kv.substring(i + 1));
    }
    AtlasConfig base = cb.build();
    long t0 = System.nanoTime();
    SparkSession spark = SparkSessions.create(base, "trust-atlas-bench");
    double sessionS = (System.nanoTime() - t0) / 1e9;
    JobTimes jobs = new JobTimes();
    spark.sparkContext().addSparkListener(jobs);
    log("session started in %.2f s (%s)", sessionS, spark.version());

    // Reference warehouse: surveys + countries + models + measures, once, not timed.
    Path ref = work.resolve("ref-wh");
    Pipeline.run(
        ctx(spark, base, ref, dates),
        List.of(new SurveyBronzeJob(), new CountriesJob(), new ModelsJob(), new MeasuresJob()));
    Map<String, Long> refCounts = tableCounts(spark, ref);
    log("reference warehouse ready: %s", refCounts);

    List<String> dlFiles = files(input, "downloads", dates, ".jsonl.gz");
    List<String> apiFiles = files(input, "api_requests", dates, ".parquet");
    long inputRows = 0;
    // Input rows (not timed): lines of the download files + rows of the API files.
    inputRows += spark.read().text(dlFiles.toArray(String[]::new)).count();
    long apiRows = spark.read().parquet(apiFiles.toArray(String[]::new)).count();
    inputRows += apiRows;
    log(
        "input: %d download file(s), %d api file(s), %d row(s)",
        dlFiles.size(), apiFiles.size(), inputRows);

    // (a) pipeline
    List<Sample> pipe = new ArrayList<>();
    List<Map<String, Double>> stepTimes = new ArrayList<>();
    long outRows = -1;
    Map<String, Long> outCounts = null;
    Path lastWh = null;
    for (int i = 0; i < iterations; i++) {
      Path wh = work.resolve("wh-" + i);
      copyTree(ref, wh);
      RunContext ctx = ctx(spark, base, wh, dates);
      Map<String, Double> st = new LinkedHashMap<>();
      List<Step> steps =
          List.of(
              timed(new UsageBronzeJob(), st),
              timed(new UsageSilverJob(), st),
              timed(new GoldJob(), st));
      jobs.reset();
      Sample s = measure(() -> Pipeline.run(ctx, steps));
      pipe.add(s);
      stepTimes.add(st);
      log("pipeline #%d: %s steps %s", i, s, st);
      if (i == iterations - 1) {
        log("slowest Spark jobs of pipeline #%d (wall s, call site):", i);
        jobs.top(15).forEach(l -> log("    %s", l));
      }
      if (outCounts == null) {
        outCounts = tableCounts(spark, wh);
        long n = 0;
        for (var e : outCounts.entrySet()) {
          n += e.getValue() - refCounts.getOrDefault(e.getKey(), 0L);
        }
        outRows = n;
        log(
            "pipeline output rows (all tables, minus the reference ones): %d %s",
            outRows, outCounts);
      }
      if (lastWh != null) {
        deleteTree(lastWh);
      }
      lastWh = wh;
    }
    Map<String, Object> outputCheck = new LinkedHashMap<>();
    if (a.containsKey("--export")) {
      exportOutputs(spark, lastWh, Path.of(one(a, "--export")));
    }
    if (a.containsKey("--compare-with")) {
      outputCheck = compareOutputs(spark, lastWh, Path.of(one(a, "--compare-with")));
      log("outputs vs %s: %s", one(a, "--compare-with"), outputCheck);
    }

    // (b) Spark's floor: read the same files with no logic, write as many rows as the pipeline.
    List<Sample> floor = new ArrayList<>();
    List<Sample> floorRead = new ArrayList<>();
    final long rowsOut = outRows;
    for (int i = 0; i < iterations; i++) {
      Path out = work.resolve("floor-" + i);
      double[] readS = new double[1];
      Sample s =
          measure(
              () -> {
                long r0 = System.nanoTime();
                spark
                    .read()
                    .text(dlFiles.toArray(String[]::new))
                    .write()
                    .format("noop")
                    .mode("overwrite")
                    .save();
                spark
                    .read()
                    .parquet(apiFiles.toArray(String[]::new))
                    .write()
                    .format("noop")
                    .mode("overwrite")
                    .save();
                readS[0] = (System.nanoTime() - r0) / 1e9;
                spark
                    .range(0, rowsOut)
                    .selectExpr("id", "CAST(id % 1000 AS STRING) AS k")
                    .write()
                    .format("delta")
                    .mode("overwrite")
                    .save(out.toString());
              });
      floor.add(s);
      floorRead.add(new Sample(readS[0], 0, 0, 0));
      log("floor #%d: %s (read %.2f s)", i, s, readS[0]);
      deleteTree(out);
    }

    // (b') Spark's landing floor: the same files parsed by Spark's own JSON and Parquet readers and
    // written as Parquet with no rule at all (no line numbers, hashing, user-agent classes,
    // validation or quarantine): what landing bronze costs in Spark before any logic.
    List<Sample> land = new ArrayList<>();
    for (int i = 0; i < iterations; i++) {
      Path out = work.resolve("land-" + i);
      Sample s =
          measure(
              () -> {
                spark
                    .read()
                    .schema(UsageBronzeJob.DOWNLOAD_JSON)
                    .json(dlFiles.toArray(String[]::new))
                    .write()
                    .mode("overwrite")
                    .parquet(out.resolve("downloads").toString());
                spark
                    .read()
                    .parquet(apiFiles.toArray(String[]::new))
                    .write()
                    .mode("overwrite")
                    .parquet(out.resolve("api_requests").toString());
              });
      land.add(s);
      log("landing floor #%d: %s", i, s);
      deleteTree(out);
    }

    // (c) DuckDB: the same aggregation and attribution over the same files.
    List<Sample> duckSamples = new ArrayList<>();
    Map<String, Object> check = new LinkedHashMap<>();
    if (duck) {
      Path models = work.resolve("models.parquet");
      Path countries = work.resolve("countries.parquet");
      spark
          .read()
          .format("delta")
          .load(lastWh.resolve("silver/models").toString())
          .selectExpr("model_id", "root_model_id", "credit", "origin_iso3", "open_weights")
          .coalesce(1)
          .write()
          .mode("overwrite")
          .parquet(models.toString());
      spark
          .read()
          .format("delta")
          .load(lastWh.resolve("silver/countries").toString())
          .selectExpr("iso2", "iso3", "numeric")
          .coalesce(1)
          .write()
          .mode("overwrite")
          .parquet(countries.toString());
      String sql = duckSql(input, dates, models, countries, base);
      Class.forName("org.duckdb.DuckDBDriver");
      for (int i = 0; i < iterations; i++) {
        Path out = work.resolve("duck-" + i + ".parquet");
        Sample s =
            measure(
                () -> {
                  try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
                      Statement st = c.createStatement()) {
                    st.execute("SET threads = 2");
                    st.execute("SET TimeZone = 'UTC'");
                    st.execute("SET autoinstall_known_extensions = false");
                    st.execute("SET autoload_known_extensions = false");
                    st.execute("SET temp_directory = '" + work.resolve("duck-tmp") + "'");
                    st.execute("COPY (" + sql + ") TO '" + out + "' (FORMAT parquet)");
                  } catch (java.sql.SQLException e) {
                    throw new RuntimeException(e);
                  }
                });
        duckSamples.add(s);
        log("duckdb #%d: %s", i, s);
        if (i == iterations - 1) {
          check = compare(spark, lastWh, out);
          log("spark vs duckdb totals: %s", check);
        }
      }
    }

    Map<String, Object> res = new LinkedHashMap<>();
    res.put("input_rows", inputRows);
    res.put("api_rows", apiRows);
    res.put("download_rows", inputRows - apiRows);
    res.put("output_rows", outRows);
    res.put("dates", dates.toString());
    res.put("iterations", iterations);
    res.put("session_start_s", round(sessionS));
    res.put("pipeline", summary(pipe));
    res.put("pipeline_steps_warm_median_s", stepMedians(stepTimes));
    res.put("floor", summary(floor));
    res.put("floor_read_only", summary(floorRead));
    res.put("floor_land", summary(land));
    if (duck) {
      res.put("duckdb", summary(duckSamples));
      res.put("duckdb_check", check);
    }
    res.put("output_counts", outCounts);
    res.put("output_check", outputCheck);
    res.put("spark_conf_extra", a.getOrDefault("--conf", List.of()).toString());
    Files.writeString(json, toJson(res), StandardCharsets.UTF_8);
    log("wrote %s", json);
    if (lastWh != null) {
      deleteTree(lastWh);
    }
    spark.stop();
  }

  // ---------------------------------------------------------------- DuckDB

  static String duckSql(
      Path input, List<LocalDate> dates, Path models, Path countries, AtlasConfig cfg) {
    String dl =
        "["
            + String.join(
                ", ",
                dates.stream()
                    .map(d -> "'" + input.resolve("logs/downloads/date=" + d) + "/*.jsonl.gz'")
                    .toList())
            + "]";
    String api =
        "["
            + String.join(
                ", ",
                dates.stream()
                    .map(d -> "'" + input.resolve("logs/api_requests/date=" + d) + "/*.parquet'")
                    .toList())
            + "]";
    int k = cfg.minCountK();
    String salt = cfg.salt().replace("'", "''");
    // Same rules as UsageBronzeJob + UsageTransform: de-dup request ids (first copy), drop bad and
    // future timestamps, bot/CI user agents, unknown models, unresolved countries, failed requests;
    // cells under k distinct clients pool per (kind, date, country); credit roots via
    // silver.models.
    return "WITH dl AS (SELECT 'downloads' AS kind, CAST(regexp_extract(filename, 'date=([0-9-]+)',"
        + " 1) AS DATE) AS pdate, request_id, try_cast(ts AS TIMESTAMPTZ) AS ts, model_id,"
        + " sha256('"
        + salt
        + "|' || client_ip) AS client, country_code, CASE WHEN regexp_matches(lower(user_agent),"
        + " '(github-actions|gitlab-runner|ci=true|jenkins|buildkite|circleci)') OR"
        + " regexp_matches(lower(user_agent),"
        + " '(python-requests|curl/|wget/|go-http-client|bot|spider|crawler)') THEN 'bot' ELSE"
        + " 'client' END AS ua, CAST(NULL AS BIGINT) AS tokens_in, CAST(NULL AS BIGINT) AS"
        + " tokens_out, true AS ok FROM read_json("
        + dl
        + ", format = 'newline_delimited', ignore_errors = true, filename = true, columns ="
        + " {request_id: 'VARCHAR', ts: 'VARCHAR', model_id: 'VARCHAR', file: 'VARCHAR', client_ip:"
        + " 'VARCHAR', country_code: 'VARCHAR', user_agent: 'VARCHAR'}) WHERE request_id IS NOT"
        + " NULL), api AS (SELECT 'api_requests' AS kind, CAST(regexp_extract(filename,"
        + " 'date=([0-9-]+)', 1) AS DATE) AS pdate, request_id, CAST(ts AS TIMESTAMPTZ) AS ts,"
        + " model_id, sha256('"
        + salt
        + "|' || user_id) AS client, country_code, 'client' AS ua, CAST(tokens_in AS BIGINT) AS"
        + " tokens_in, CAST(tokens_out AS BIGINT) AS tokens_out, coalesce(status BETWEEN 200 AND"
        + " 299, false) AS ok FROM read_parquet("
        + api
        + ", filename = true)), ev AS (SELECT * FROM dl UNION ALL SELECT * FROM api), d AS (SELECT"
        + " *, row_number() OVER (PARTITION BY kind, request_id ORDER BY pdate, ts) AS copy FROM"
        + " ev), cc AS (SELECT iso2 AS code, iso3 FROM read_parquet('"
        + countries
        + "') WHERE iso2 IS NOT NULL"
        + " UNION SELECT iso3, iso3 FROM read_parquet('"
        + countries
        + "')"
        + " UNION SELECT numeric, iso3 FROM read_parquet('"
        + countries
        + "') WHERE numeric IS NOT NULL),"
        + " m AS (SELECT * FROM read_parquet('"
        + models
        + "')), known AS (SELECT DISTINCT model_id FROM m), okev AS (SELECT d.kind, CAST(d.ts AS"
        + " DATE) AS event_date, cc.iso3 AS country_iso3, d.model_id, d.client, d.tokens_in,"
        + " d.tokens_out FROM d JOIN known ON d.model_id = known.model_id JOIN cc ON"
        + " upper(trim(d.country_code)) = cc.code WHERE d.ts IS NOT NULL AND d.ts < CAST(d.pdate +"
        + " INTERVAL 2 DAY AS TIMESTAMPTZ) AND d.copy = 1 AND d.ua = 'client' AND d.ok), cell AS"
        + " (SELECT kind, event_date, country_iso3, model_id, count(DISTINCT client) >= "
        + k
        + " AS big FROM okev GROUP BY ALL), pooled AS (SELECT okev.*, cell.big FROM okev JOIN cell"
        + " USING (kind, event_date, country_iso3, model_id)), pool AS (SELECT kind, event_date,"
        + " country_iso3, count(DISTINCT client) >= "
        + k
        + " AS pool_big FROM pooled WHERE NOT big GROUP BY ALL), used AS (SELECT p.* FROM pooled p"
        + " LEFT JOIN pool q USING (kind, event_date, country_iso3) WHERE p.big OR q.pool_big)"
        + " SELECT u.event_date AS date, u.country_iso3, CASE WHEN u.big THEN u.model_id WHEN"
        + " u.model_id = m.root_model_id THEN '(suppressed root)' ELSE '(suppressed)' END AS"
        + " model_id, m.root_model_id, max(m.credit) AS credit, m.origin_iso3,"
        + " bool_and(m.open_weights) AS open_weights, sum(CASE WHEN u.kind = 'downloads' THEN"
        + " m.credit ELSE 0 END) AS downloads, sum(CASE WHEN u.kind = 'api_requests' THEN m.credit"
        + " ELSE 0 END) AS requests, sum(coalesce(u.tokens_in, 0) * m.credit) AS tokens_in,"
        + " sum(coalesce(u.tokens_out, 0) * m.credit) AS tokens_out FROM used u JOIN m ON"
        + " u.model_id = m.model_id GROUP BY 1, 2, 3, m.root_model_id, m.origin_iso3";
  }

  /** Totals of Spark's silver.usage_daily (usage-log rows only) against DuckDB's result. */
  static Map<String, Object> compare(SparkSession spark, Path wh, Path duckOut) {
    Map<String, Object> m = new LinkedHashMap<>();
    Row s =
        spark
            .read()
            .format("delta")
            .load(wh.resolve("silver/usage_daily").toString())
            .where("active_users IS NULL")
            .selectExpr(
                "count(*)",
                "round(sum(downloads), 3)",
                "round(sum(requests), 3)",
                "round(sum(tokens_in), 0)")
            .head();
    Row d =
        spark
            .read()
            .parquet(duckOut.toString())
            .selectExpr(
                "count(*)",
                "round(sum(downloads), 3)",
                "round(sum(requests), 3)",
                "round(sum(tokens_in), 0)")
            .head();
    m.put("spark_rows", s.getLong(0));
    m.put("duckdb_rows", d.getLong(0));
    m.put("spark_downloads", s.get(1).toString());
    m.put("duckdb_downloads", d.get(1).toString());
    m.put("spark_requests", s.get(2).toString());
    m.put("duckdb_requests", d.get(2).toString());
    m.put("spark_tokens_in", s.get(3).toString());
    m.put("duckdb_tokens_in", d.get(3).toString());
    return m;
  }

  // ---------------------------------------------------------------- measuring

  interface Body {
    void run() throws Exception;
  }

  static Sample measure(Body body) {
    var os =
        (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    List<MemoryPoolMXBean> heap =
        ManagementFactory.getMemoryPoolMXBeans().stream()
            .filter(p -> p.getType() == MemoryType.HEAP)
            .toList();
    System.gc();
    heap.forEach(MemoryPoolMXBean::resetPeakUsage);
    resetHwm();
    HeapPeak peak = new HeapPeak(heap);
    long cpu0 = os.getProcessCpuTime();
    long t0 = System.nanoTime();
    try {
      body.run();
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new RuntimeException(e);
    } finally {
      peak.close();
    }
    long t1 = System.nanoTime();
    long cpu1 = os.getProcessCpuTime();
    return new Sample((t1 - t0) / 1e9, (cpu1 - cpu0) / 1e9, peak.max() >> 20, vmHwmKb() >> 10);
  }

  /**
   * The most heap in use at one moment: the heap's size just before each garbage collection (its
   * high points) and at the end. Adding up each pool's own peak would overstate it: the pools peak
   * at different moments.
   */
  static final class HeapPeak implements AutoCloseable {
    private final List<MemoryPoolMXBean> heap;
    private final java.util.Set<String> heapPools;
    private final java.util.concurrent.atomic.AtomicLong max =
        new java.util.concurrent.atomic.AtomicLong();
    private final javax.management.NotificationListener listener = this::onGc;
    private final List<javax.management.NotificationEmitter> emitters = new ArrayList<>();

    HeapPeak(List<MemoryPoolMXBean> heap) {
      this.heap = heap;
      this.heapPools =
          heap.stream().map(MemoryPoolMXBean::getName).collect(java.util.stream.Collectors.toSet());
      for (var gc : ManagementFactory.getGarbageCollectorMXBeans()) {
        if (gc instanceof javax.management.NotificationEmitter e) {
          e.addNotificationListener(listener, null, null);
          emitters.add(e);
        }
      }
      sampleNow();
    }

    private void onGc(javax.management.Notification n, Object handback) {
      if (!n.getType()
          .equals(
              com.sun.management.GarbageCollectionNotificationInfo
                  .GARBAGE_COLLECTION_NOTIFICATION)) {
        return;
      }
      var info =
          com.sun.management.GarbageCollectionNotificationInfo.from(
              (javax.management.openmbean.CompositeData) n.getUserData());
      long before = 0;
      for (var e : info.getGcInfo().getMemoryUsageBeforeGc().entrySet()) {
        if (heapPools.contains(e.getKey())) {
          before += e.getValue().getUsed();
        }
      }
      max.accumulateAndGet(before, Math::max);
    }

    private void sampleNow() {
      max.accumulateAndGet(heap.stream().mapToLong(p -> p.getUsage().getUsed()).sum(), Math::max);
    }

    long max() {
      return max.get();
    }

    @Override
    public void close() {
      sampleNow();
      for (var e : emitters) {
        try {
          e.removeNotificationListener(listener);
        } catch (javax.management.ListenerNotFoundException ignored) {
          // already gone
        }
      }
    }
  }

  static void resetHwm() {
    try {
      Files.writeString(Path.of("/proc/self/clear_refs"), "5");
    } catch (IOException | RuntimeException e) {
      // not allowed here: VmHWM is then the peak since the JVM started
    }
  }

  static long vmHwmKb() {
    try {
      for (String l : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (l.startsWith("VmHWM:")) {
          return Long.parseLong(l.replaceAll("[^0-9]", ""));
        }
      }
    } catch (IOException e) {
      // not Linux
    }
    return -1;
  }

  static Step timed(Step s, Map<String, Double> into) {
    return new Step() {
      @Override
      public String name() {
        return s.name();
      }

      @Override
      public boolean compiles(RunContext ctx) {
        return s.compiles(ctx); // the step's own choice, as in nightly
      }

      @Override
      public void run(RunContext ctx) {
        long t0 = System.nanoTime();
        s.run(ctx);
        into.put(s.name(), round((System.nanoTime() - t0) / 1e9));
      }
    };
  }

  /** Wall time of every Spark job, by call site, since the last reset. */
  static final class JobTimes extends SparkListener {
    private final Map<Integer, Long> start = new ConcurrentHashMap<>();
    private final Map<Integer, String> site = new ConcurrentHashMap<>();
    private final List<String[]> done = java.util.Collections.synchronizedList(new ArrayList<>());

    void reset() {
      done.clear();
    }

    @Override
    public void onJobStart(SparkListenerJobStart e) {
      start.put(e.jobId(), e.time());
      String cs = e.properties() == null ? null : e.properties().getProperty("callSite.short");
      site.put(e.jobId(), cs == null ? "?" : cs);
    }

    @Override
    public void onJobEnd(SparkListenerJobEnd e) {
      Long s = start.remove(e.jobId());
      String cs = site.remove(e.jobId());
      if (s != null) {
        done.add(new String[] {String.valueOf(e.time() - s), cs, String.valueOf(e.jobId())});
      }
    }

    List<String> top(int n) {
      List<String[]> copy;
      synchronized (done) {
        copy = new ArrayList<>(done);
      }
      long total = copy.stream().mapToLong(x -> Long.parseLong(x[0])).sum();
      List<String> out = new ArrayList<>();
      out.add(
          String.format(
              Locale.ROOT,
              "%d job(s), %.2f s of job wall time in total",
              copy.size(),
              total / 1e3));
      copy.stream()
          .sorted(Comparator.comparingLong((String[] x) -> -Long.parseLong(x[0])))
          .limit(n)
          .forEach(
              x ->
                  out.add(
                      String.format(
                          Locale.ROOT,
                          "%6.2f  job %s  %s",
                          Long.parseLong(x[0]) / 1e3,
                          x[2],
                          x[1])));
      return out;
    }
  }

  /** The silver and gold outputs of a run, as Parquet, without run-specific columns. */
  static final List<String> COMPARED =
      List.of(
          "silver/usage_daily",
          "gold/country_scorecard",
          "gold/trust_uptake_correlation",
          "gold/model_reach");

  static org.apache.spark.sql.Dataset<Row> comparable(org.apache.spark.sql.Dataset<Row> df) {
    for (String c : df.columns()) {
      if (c.contains("run_id") || c.endsWith("_at")) {
        df = df.drop(c);
      }
    }
    return df;
  }

  static void exportOutputs(SparkSession spark, Path wh, Path dir) {
    for (String t : COMPARED) {
      Path p = wh.resolve(t);
      if (Files.exists(p)) {
        comparable(spark.read().format("delta").load(p.toString()))
            .write()
            .mode("overwrite")
            .parquet(dir.resolve(t).toString());
      }
    }
  }

  /** Rows only in this run / only in the reference export, per table (0/0 = identical). */
  static Map<String, Object> compareOutputs(SparkSession spark, Path wh, Path dir) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (String t : COMPARED) {
      Path p = wh.resolve(t);
      if (!Files.exists(p) || !Files.exists(dir.resolve(t))) {
        continue;
      }
      var mine = comparable(spark.read().format("delta").load(p.toString()));
      var theirs =
          spark
              .read()
              .parquet(dir.resolve(t).toString())
              .select(
                  java.util.Arrays.stream(mine.columns())
                      .map(org.apache.spark.sql.functions::col)
                      .toArray(org.apache.spark.sql.Column[]::new));
      m.put(t, mine.exceptAll(theirs).count() + "/" + theirs.exceptAll(mine).count());
    }
    return m;
  }

  // ---------------------------------------------------------------- helpers

  static RunContext ctx(SparkSession spark, AtlasConfig base, Path wh, List<LocalDate> dates) {
    AtlasConfig c = base.toBuilder().warehouse(wh.toString()).build();
    RunContext ctx =
        new RunContext(
            dates.get(dates.size() - 1) + "_bench_" + Long.toHexString(System.nanoTime()),
            dates.get(dates.size() - 1),
            "nightly",
            c,
            spark,
            Instant.now());
    ctx.usagePartitions(dates);
    return ctx;
  }

  static Map<String, Long> tableCounts(SparkSession spark, Path wh) {
    Map<String, Long> out = new LinkedHashMap<>();
    Warehouse w = new Warehouse(spark, wh.toString());
    for (TableSpec t : Tables.ALL.values()) {
      if (w.exists(t)) {
        out.put(t.name(), w.read(t).count());
      }
    }
    return out;
  }

  static List<String> files(Path input, String kind, List<LocalDate> dates, String suffix)
      throws IOException {
    List<String> out = new ArrayList<>();
    for (LocalDate d : dates) {
      Path dir = input.resolve("logs/" + kind + "/date=" + d);
      if (Files.isDirectory(dir)) {
        try (Stream<Path> s = Files.list(dir)) {
          s.filter(p -> p.getFileName().toString().endsWith(suffix))
              .sorted()
              .forEach(p -> out.add(p.toString()));
        }
      }
    }
    return out;
  }

  static Map<String, Object> summary(List<Sample> s) {
    Map<String, Object> m = new LinkedHashMap<>();
    Sample cold = s.get(0);
    List<Sample> warm = s.size() > 1 ? s.subList(1, s.size()) : s;
    m.put("cold_wall_s", round(cold.wallS()));
    m.put("cold_cpu_s", round(cold.cpuS()));
    m.put("warm_wall_s", round(median(warm.stream().mapToDouble(Sample::wallS).toArray())));
    m.put("warm_cpu_s", round(median(warm.stream().mapToDouble(Sample::cpuS).toArray())));
    m.put("warm_wall_all_s", warm.stream().map(x -> round(x.wallS())).toList().toString());
    m.put("peak_heap_mb", s.stream().mapToLong(Sample::peakHeapMb).max().orElse(-1));
    m.put("peak_rss_mb", s.stream().mapToLong(Sample::peakRssMb).max().orElse(-1));
    return m;
  }

  static Map<String, Object> stepMedians(List<Map<String, Double>> all) {
    Map<String, Object> m = new LinkedHashMap<>();
    List<Map<String, Double>> warm = all.size() > 1 ? all.subList(1, all.size()) : all;
    for (String k : all.get(0).keySet()) {
      m.put(k, round(median(warm.stream().mapToDouble(x -> x.getOrDefault(k, 0.0)).toArray())));
    }
    return m;
  }

  static double median(double[] v) {
    double[] c = v.clone();
    Arrays.sort(c);
    int n = c.length;
    return n == 0 ? Double.NaN : n % 2 == 1 ? c[n / 2] : (c[n / 2 - 1] + c[n / 2]) / 2;
  }

  static double round(double v) {
    return Math.round(v * 1000) / 1000.0;
  }

  @SuppressWarnings("unchecked")
  static String toJson(Object o) {
    if (o == null) {
      return "null";
    }
    if (o instanceof Map<?, ?> m) {
      StringBuilder b = new StringBuilder("{");
      for (var e : ((Map<String, Object>) m).entrySet()) {
        if (b.length() > 1) {
          b.append(", ");
        }
        b.append(toJson(e.getKey())).append(": ").append(toJson(e.getValue()));
      }
      return b.append("}").toString();
    }
    if (o instanceof Number || o instanceof Boolean) {
      return o.toString();
    }
    return "\"" + o.toString().replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }

  static void copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> s = Files.walk(from)) {
      for (Path p : (Iterable<Path>) s::iterator) {
        Path rel = from.relativize(p);
        if (rel.toString().startsWith("_locks")) {
          continue;
        }
        Path t = to.resolve(rel.toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(t);
        } else {
          Files.copy(p, t, StandardCopyOption.REPLACE_EXISTING);
        }
      }
    }
  }

  static void deleteTree(Path p) {
    if (!Files.exists(p)) {
      return;
    }
    try (Stream<Path> s = Files.walk(p)) {
      s.sorted(Comparator.reverseOrder()).forEach(x -> x.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Map<String, List<String>> parse(String[] args) {
    Map<String, List<String>> m = new LinkedHashMap<>();
    for (int i = 0; i < args.length; i++) {
      String k = args[i];
      if (k.equals("--skip-duckdb")) {
        m.put(k, List.of());
      } else {
        m.computeIfAbsent(k, x -> new ArrayList<>()).add(args[++i]);
      }
    }
    return m;
  }

  static String one(Map<String, List<String>> a, String k) {
    List<String> v = a.get(k);
    if (v == null || v.isEmpty()) {
      throw new IllegalArgumentException("missing " + k);
    }
    return v.get(0);
  }

  static void log(String fmt, Object... args) {
    System.out.println("[bench] " + String.format(Locale.ROOT, fmt, args));
    System.out.flush();
  }
}
