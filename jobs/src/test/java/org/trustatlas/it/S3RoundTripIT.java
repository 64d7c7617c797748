package org.trustatlas.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.trustatlas.contract.Tables;
import org.trustatlas.io.Warehouse;
import org.trustatlas.testing.ChildJvm;
import org.trustatlas.testing.Cli;
import org.trustatlas.testing.S3ProxyServer;
import org.trustatlas.testing.SparkTestSession;
import org.trustatlas.testing.TestInputs;

/**
 * Input and warehouse on {@code s3a://}, against a real S3-compatible server (s3proxy in its own
 * JVM on loopback). {@code nightly} runs twice through the local launcher's class path in a child
 * JVM, with the keys only in its environment: the first run names the variables in the
 * configuration's {@code s3:} section, the second uses the standard {@code AWS_ACCESS_KEY_ID} /
 * {@code AWS_SECRET_ACCESS_KEY} provider. Then {@code query} reads the gold tables and travels back
 * to the first run, by version and by timestamp. Finally the secret key is looked for everywhere
 * the runs wrote: logs, command output, the manifests, {@code ops.runs} and every object stored.
 */
@ExtendWith(SparkTestSession.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class S3RoundTripIT {
  static final String BUCKET = "atlas-it";
  static final String ACCESS_KEY = "AKIAATLAS" + rand(8).toUpperCase(Locale.ROOT);
  static final String SECRET_KEY = "atlasSecret" + rand(24);
  static final String INPUT = "s3a://" + BUCKET + "/input";
  static final String WAREHOUSE = "s3a://" + BUCKET + "/warehouse";
  static final DateTimeFormatter AS_OF =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", Locale.ROOT).withZone(ZoneOffset.UTC);

  static Path dir;
  static Path runDir;
  static S3ProxyServer s3;
  static SparkSession spark;
  static Path queryConf;
  static final List<String> outputs = new ArrayList<>();

  // What the first run left, to compare time travel against.
  static long run1UsageVersion;
  static long run1UsageRows;
  static long run1ScorecardRows;
  static String betweenRuns;

  static String rand(int n) {
    return UUID.randomUUID().toString().replace("-", "").substring(0, n);
  }

  @BeforeAll
  static void startS3() throws Exception {
    dir = SparkTestSession.tmp("s3-roundtrip");
    runDir = Files.createDirectories(dir.resolve("runs"));
    s3 =
        S3ProxyServer.start(
            Files.createDirectories(dir.resolve("s3proxy")), ACCESS_KEY, SECRET_KEY);
    s3.createBucket(BUCKET);
    Path input =
        TestInputs.dataSamples(
            dir.resolve("input"),
            Set.of("2025-04-19", "2025-04-20"),
            // A few sources keep the two runs short; StandaloneClusterIT and PipelineIT run all.
            Set.of(
                "edelman-trust-barometer-2025",
                "ipsos-ai-monitor-2024",
                "ipsos-ai-monitor-2025",
                "microsoft-ai-diffusion-2025h2"));
    assertThat(s3.upload(input, BUCKET, "input")).isGreaterThan(10);

    // The in-process session (shared by the ITs of this JVM) reads the same bucket for `query`.
    // Per-bucket keys touch no other bucket. Delta builds its Hadoop configuration from the
    // session's SQL conf, the warehouse's listings from the SparkContext's: set both.
    spark = SparkTestSession.get();
    inProcessS3Settings()
        .forEach(
            (k, v) -> {
              spark.sparkContext().hadoopConfiguration().set(k, v);
              spark.conf().set(k, v);
            });
    queryConf = dir.resolve("query.yaml");
    Files.writeString(queryConf, yaml(null));
  }

  static Map<String, String> inProcessS3Settings() {
    String p = "fs.s3a.bucket." + BUCKET + ".";
    Map<String, String> m = new LinkedHashMap<>();
    m.put(p + "endpoint", s3.endpoint());
    m.put(p + "endpoint.region", "us-east-1");
    m.put(p + "path.style.access", "true");
    m.put(p + "connection.ssl.enabled", "false");
    m.put(p + "aws.credentials.provider", "org.apache.hadoop.fs.s3a.SimpleAWSCredentialsProvider");
    m.put(p + "access.key", ACCESS_KEY);
    m.put(p + "secret.key", SECRET_KEY);
    return m;
  }

  /** The configuration a data engineer writes: S3 settings, and at most the names of key vars. */
  static String yaml(String keyEnvPrefix) {
    StringBuilder y =
        new StringBuilder()
            .append("input: ")
            .append(INPUT)
            .append("\nwarehouse: ")
            .append(WAREHOUSE)
            .append("\nspark:\n  master: local[2]\n  conf:\n")
            .append("    spark.sql.shuffle.partitions: \"4\"\n")
            .append("s3:\n  endpoint: ")
            .append(s3.endpoint())
            .append("\n  region: us-east-1\n  path_style_access: true\n  ssl_enabled: false\n");
    if (keyEnvPrefix != null) {
      y.append("  access_key_env: ")
          .append(keyEnvPrefix)
          .append("_ACCESS_KEY\n  secret_key_env: ")
          .append(keyEnvPrefix)
          .append("_SECRET_KEY\n");
    }
    return y.toString();
  }

  @AfterAll
  static void stopS3() throws Exception {
    try {
      if (spark != null) {
        Configuration h = spark.sparkContext().hadoopConfiguration();
        for (String k : inProcessS3Settings().keySet()) {
          h.unset(k);
          spark.conf().unset(k);
        }
        // Drop the cached client for the bucket before its server goes away.
        FileSystem.get(URI.create("s3a://" + BUCKET + "/"), h).close();
      }
    } finally {
      if (s3 != null) {
        s3.close();
      }
    }
  }

  /**
   * Runs the command line the way {@code bin/atlas} does (jar + launcher class path) in a child JVM
   * whose only credentials are the environment variables given. Its working and temporary folders
   * are under the test folder, so every local file the run writes is searched later.
   */
  static Cli.Result launch(String name, Map<String, String> env, String... args)
      throws IOException, InterruptedException {
    Path cpFile = Path.of(System.getProperty("atlas.classpath.file"));
    String cp =
        String.join(
            File.pathSeparator,
            Path.of(System.getProperty("atlas.shaded.jar"))
                .resolveSibling("trust-atlas.jar")
                .toString(),
            Files.readString(cpFile).strip(),
            Files.readString(cpFile.resolveSibling("classpath-runtime.txt")).strip());
    Path work = Files.createDirectories(runDir.resolve(name));
    Path tmp = Files.createDirectories(work.resolve("tmp"));
    Path log = runDir.resolve(name + ".log");
    ProcessBuilder pb = ChildJvm.java(cp, "org.trustatlas.cli.AtlasCli", List.of(args), log);
    pb.command().add(1, "-Djava.io.tmpdir=" + tmp);
    pb.directory(work.toFile());
    pb.environment().keySet().removeIf(k -> k.startsWith("AWS_") || k.startsWith("ATLAS_"));
    pb.environment().putAll(env);
    int code = ChildJvm.await(pb.start(), 15);
    String out = Files.readString(log);
    outputs.add(out);
    return new Cli.Result(code, out, "");
  }

  static Cli.Result query(String... args) {
    List<String> a = new ArrayList<>(List.of("query", "--config", queryConf.toString()));
    a.addAll(List.of(args));
    Cli.Result r = Cli.run(a.toArray(new String[0]));
    outputs.add(r.out());
    outputs.add(r.err());
    assertThat(r.exitCode()).as(r.err()).isZero();
    return r;
  }

  static Warehouse warehouse() {
    return new Warehouse(spark, WAREHOUSE);
  }

  @Test
  @Order(1)
  void nightlyReadsAndWritesS3WithKeysNamedInTheConfiguration() throws Exception {
    Path conf = dir.resolve("atlas-s3-keys-by-env.yaml");
    Files.writeString(conf, yaml("ATLAS_IT_S3"));
    assertThat(Files.readString(conf)).doesNotContain(SECRET_KEY);
    Cli.Result r =
        launch(
            "nightly-1",
            Map.of("ATLAS_IT_S3_ACCESS_KEY", ACCESS_KEY, "ATLAS_IT_S3_SECRET_KEY", SECRET_KEY),
            "nightly",
            "--config",
            conf.toString(),
            "--date",
            "2025-04-19");
    assertThat(r.exitCode()).as(r.out()).isZero();
    assertThat(r.out()).contains(WAREHOUSE + "/gold/").contains("Top countries by trust");

    Warehouse wh = warehouse();
    Row run = wh.read(Tables.RUNS).where("status = 'success'").head();
    Map<String, Long> versions = run.getJavaMap(run.fieldIndex("output_versions"));
    assertThat(versions).containsKey("silver.usage_daily");
    run1UsageVersion = versions.get("silver.usage_daily");
    assertThat(run1UsageVersion).isEqualTo(wh.version(Tables.USAGE_DAILY));
    run1UsageRows = wh.read(Tables.USAGE_DAILY).count();
    run1ScorecardRows = wh.read(Tables.COUNTRY_SCORECARD).count();
    assertThat(run1UsageRows).isPositive();
    assertThat(run1ScorecardRows).isPositive();
    assertThat(run.getList(run.fieldIndex("input_files")).toString()).contains(INPUT + "/");

    // A moment strictly between the two runs (S3 keeps commit times to the second).
    Thread.sleep(1_100);
    betweenRuns = AS_OF.format(Instant.now().truncatedTo(ChronoUnit.SECONDS));
    Thread.sleep(1_100);
  }

  @Test
  @Order(2)
  void nightlyFindsKeysThroughTheStandardAwsEnvironmentVariables() throws Exception {
    Path conf = dir.resolve("atlas-s3-default-chain.yaml");
    Files.writeString(conf, yaml(null));
    Cli.Result r =
        launch(
            "nightly-2",
            Map.of("AWS_ACCESS_KEY_ID", ACCESS_KEY, "AWS_SECRET_ACCESS_KEY", SECRET_KEY),
            "nightly",
            "--config",
            conf.toString(),
            "--date",
            "2025-04-20");
    assertThat(r.exitCode()).as(r.out()).isZero();
    Warehouse wh = warehouse();
    assertThat(wh.read(Tables.RUNS).where("status = 'success'").count()).isEqualTo(2);
    assertThat(wh.version(Tables.USAGE_DAILY)).isGreaterThan(run1UsageVersion);
    assertThat(wh.read(Tables.USAGE_DAILY).select("date").distinct().count()).isEqualTo(2);
  }

  @Test
  @Order(3)
  void queryReadsTheGoldTablesOnS3() {
    Cli.Result india =
        query(
            "--format",
            "csv",
            "SELECT value FROM silver.country_measures WHERE source = 'edelman_trust_barometer'"
                + " AND wave = '2025' AND metric = 'trust_in_ai' AND country_iso3 = 'IND'");
    assertThat(india.out()).isEqualTo("value\n77.0\n");

    Cli.Result card = query("--format", "csv", "SELECT count(*) AS n FROM gold.country_scorecard");
    long n = Long.parseLong(card.out().lines().toList().get(1));
    assertThat(n).isPositive().isEqualTo(warehouse().read(Tables.COUNTRY_SCORECARD).count());

    Cli.Result reach =
        query("--format", "csv", "SELECT count(*) AS n FROM gold.trust_uptake_correlation");
    assertThat(Long.parseLong(reach.out().lines().toList().get(1))).isPositive();
  }

  @Test
  @Order(4)
  void queryTravelsBackToTheFirstRunByVersionAndByTimestamp() {
    String sql = "SELECT count(*) AS n, count(DISTINCT date) AS days FROM silver.usage_daily";
    Cli.Result now = query("--format", "csv", sql);
    Cli.Result byVersion =
        query("--format", "csv", "--as-of", String.valueOf(run1UsageVersion), sql);
    Cli.Result byTime = query("--format", "csv", "--as-of", betweenRuns, sql);
    String run1 = "n,days\n" + run1UsageRows + ",1\n";
    assertThat(byVersion.out()).isEqualTo(run1);
    assertThat(byTime.out()).isEqualTo(run1);
    assertThat(now.out()).isNotEqualTo(run1).endsWith(",2\n");

    Cli.Result inSql =
        query(
            "--format",
            "csv",
            "SELECT count(*) AS n FROM delta.`"
                + warehouse().path(Tables.USAGE_DAILY)
                + "` VERSION AS OF "
                + run1UsageVersion);
    assertThat(inSql.out()).isEqualTo("n\n" + run1UsageRows + "\n");

    Cli.Result card =
        query(
            "--format",
            "csv",
            "--as-of",
            betweenRuns,
            "SELECT count(*) FROM gold.country_scorecard");
    assertThat(card.out().lines().toList().get(1)).isEqualTo(String.valueOf(run1ScorecardRows));
  }

  @Test
  @Order(5)
  void aFailedRunExitsNonZeroAndItsErrorHoldsNoSecret() throws Exception {
    Path conf = dir.resolve("atlas-s3-missing-bucket.yaml");
    Files.writeString(
        conf,
        yaml("ATLAS_IT_S3")
            .replace("warehouse: " + WAREHOUSE, "warehouse: s3a://no-such-bucket-" + rand(6)));
    Cli.Result r =
        launch(
            "nightly-missing-bucket",
            Map.of("ATLAS_IT_S3_ACCESS_KEY", ACCESS_KEY, "ATLAS_IT_S3_SECRET_KEY", SECRET_KEY),
            "nightly",
            "--config",
            conf.toString(),
            "--date",
            "2025-04-20");
    assertThat(r.exitCode()).as(r.out()).isEqualTo(1);
    assertThat(r.out()).contains("atlas: failed: ").contains("no-such-bucket-");
  }

  @Test
  @Order(6)
  void theSecretKeyAppearsNowhereTheRunsWrote() throws Exception {
    // Command output and logs of every run, in and out of process.
    assertThat(outputs).hasSizeGreaterThanOrEqualTo(3);
    for (String o : outputs) {
      assertNoSecret("command output", o);
    }
    // Every local file the child runs wrote (logs, temp and catalog folders).
    try (Stream<Path> files = Files.walk(runDir)) {
      for (Path f : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
        assertNoSecret(f.toString(), read(f));
      }
    }
    // The manifests, read back from S3.
    List<String> manifests = s3.list(BUCKET, "warehouse/_manifests/");
    assertThat(manifests).hasSizeGreaterThanOrEqualTo(2);
    ObjectMapper json = new ObjectMapper();
    for (String key : manifests) {
      String body = new String(s3.get(BUCKET, key), StandardCharsets.UTF_8);
      assertNoSecret(key, body);
      assertThat(body).doesNotContain(ACCESS_KEY);
      JsonNode m = json.readTree(body);
      assertThat(m.path("status").asText()).isEqualTo("success");
      assertThat(m.path("config").path("warehouse").asText()).isEqualTo(WAREHOUSE);
    }
    // ops.runs, every column (nested ones included) as JSON.
    List<String> runs =
        warehouse()
            .read(Tables.RUNS)
            .selectExpr("to_json(struct(*))")
            .as(Encoders.STRING())
            .collectAsList();
    assertThat(runs).hasSize(2);
    for (String r : runs) {
      assertNoSecret("ops.runs", r);
      assertThat(r).doesNotContain(ACCESS_KEY);
    }
    // Every object in the bucket, as s3proxy stored it: tables, logs, manifests, the input.
    Path bucket = s3.dataDir().resolve(BUCKET);
    int objects = 0;
    try (Stream<Path> files = Files.walk(bucket)) {
      for (Path f : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
        assertNoSecret("s3://" + BUCKET + "/" + bucket.relativize(f), read(f));
        objects++;
      }
    }
    assertThat(objects).isGreaterThan(50);
  }

  static String read(Path f) throws IOException {
    return new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1);
  }

  static void assertNoSecret(String where, String text) {
    assertThat(text).as("the secret key leaked into %s", where).doesNotContain(SECRET_KEY);
  }
}
