package org.trustatlas.io;

import java.util.Map;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;
import org.trustatlas.config.AtlasConfig;

/** Builds the one SparkSession a run uses, with the settings every job and test shares. */
public final class SparkSessions {
  private SparkSessions() {}

  /** Settings that make results reproducible and Delta available; applied everywhere. */
  public static final Map<String, String> COMMON =
      Map.ofEntries(
          Map.entry("spark.sql.extensions", "io.delta.sql.DeltaSparkSessionExtension"),
          Map.entry(
              "spark.sql.catalog.spark_catalog", "org.apache.spark.sql.delta.catalog.DeltaCatalog"),
          Map.entry("spark.sql.session.timeZone", "UTC"),
          Map.entry("spark.sql.ansi.enabled", "true"),
          Map.entry("spark.sql.adaptive.enabled", "true"),
          Map.entry("spark.sql.shuffle.partitions", "8"),
          Map.entry("spark.sql.sources.partitionOverwriteMode", "static"),
          Map.entry("spark.databricks.delta.schema.autoMerge.enabled", "false"),
          // Small tables dominate: replaying a Delta log with the default 50 partitions costs
          // more than the data. Optimized writes add a shuffle to every write; files are compacted
          // by `atlas maintain` instead.
          Map.entry("spark.databricks.delta.snapshotPartitions", "2"),
          Map.entry("spark.databricks.delta.optimizeWrite.enabled", "false"),
          Map.entry("spark.databricks.delta.autoCompact.enabled", "false"),
          Map.entry("spark.databricks.delta.writeChecksumFile.enabled", "false"),
          // A partitioned write keeps up to 4 files open per task instead of sorting every row by
          // the partition columns first (bronze's rows of a file share one partition).
          Map.entry("spark.sql.maxConcurrentOutputFileWriters", "4"),
          Map.entry("spark.ui.showConsoleProgress", "false"),
          Map.entry("spark.sql.catalogImplementation", "in-memory"));

  /**
   * S3A settings the project supplies only where nobody else set them: neither Spark's
   * configuration ({@code --conf spark.hadoop.…}, the config file's {@code s3:} section) nor the
   * cluster's Hadoop configuration ({@code core-site.xml}). Keys from a static access key or the
   * standard environment variables, so that a laptop without keys fails at once instead of probing
   * the EC2 metadata endpoint (Hadoop's own default chain does).
   */
  static final Map<String, String> HADOOP_DEFAULTS =
      Map.of(
          "fs.s3a.aws.credentials.provider",
          "org.apache.hadoop.fs.s3a.SimpleAWSCredentialsProvider,"
              + "software.amazon.awssdk.auth.credentials.EnvironmentVariableCredentialsProvider",
          "fs.s3a.endpoint.region",
          "us-east-1");

  /**
   * Sets each of {@link #HADOOP_DEFAULTS} that has no value, or only the one Hadoop ships in {@code
   * core-default.xml}; a value from {@code core-site.xml}, Spark or code is kept.
   */
  public static void applyHadoopDefaults(org.apache.hadoop.conf.Configuration conf) {
    HADOOP_DEFAULTS.forEach(
        (key, value) -> {
          String[] from = conf.getPropertySources(key);
          boolean unset =
              conf.get(key) == null
                  || (from != null
                      && java.util.Arrays.stream(from).allMatch("core-default.xml"::equals));
          if (unset) {
            conf.set(key, value, "trust-atlas default");
          }
        });
  }

  /**
   * Input bytes from which a step's queries are compiled (whole-stage code generation); below it
   * they are interpreted. Set {@code spark.atlas.compileFromBytes} to move it.
   */
  public static final long COMPILE_FROM_BYTES = 16L << 20;

  /**
   * Compiled or interpreted execution for what runs next. Compiled is Spark's way for volume:
   * whole-stage code generation, adaptive execution, the session's shuffle partitions. On a few
   * thousand rows each of those costs more than the data: Janino compiling each new query shape
   * (the one-shot sample nightly took 76 s compiled and 53 s interpreted), and every exchange of an
   * adaptive plan run as a job of its own, re-planned after it, over {@code
   * spark.sql.shuffle.partitions} nearly empty tasks (50 s with them, 44 s without). Interpreted
   * runs expressions without code generation and plans with one shuffle partition, not adaptively;
   * compiled restores the session's own settings.
   */
  public static void compileQueries(SparkSession spark, boolean compile) {
    var conf = spark.conf();
    for (String key : SMALL_DATA.keySet()) {
      if (!conf.contains(SAVED + key)) {
        conf.set(SAVED + key, conf.get(key));
      }
      conf.set(key, compile ? conf.get(SAVED + key) : SMALL_DATA.get(key));
    }
  }

  /** Settings of interpreted (small-data) execution. */
  private static final Map<String, String> SMALL_DATA =
      Map.of(
          "spark.sql.codegen.wholeStage", "false",
          "spark.sql.codegen.factoryMode", "NO_CODEGEN",
          "spark.sql.adaptive.enabled", "false",
          "spark.sql.shuffle.partitions", "1");

  /** Prefix under which the session's own values of {@link #SMALL_DATA}'s keys are kept. */
  private static final String SAVED = "spark.atlas.compiled.";

  /** {@link #COMPILE_FROM_BYTES} unless the session sets {@code spark.atlas.compileFromBytes}. */
  public static long compileFromBytes(SparkSession spark) {
    return Long.parseLong(
        spark.conf().get("spark.atlas.compileFromBytes", String.valueOf(COMPILE_FROM_BYTES)));
  }

  /**
   * The session for a run. Under spark-submit the master and any {@code --conf} given there win;
   * the embedded launcher passes {@code local[*]}.
   */
  public static SparkSession create(AtlasConfig config, String appName) {
    var existing = SparkSession.getDefaultSession();
    if (existing.isDefined()) {
      // Embedded in a host that already has a session (tests, notebooks): keep its settings.
      SparkSession s = existing.get();
      applyHadoopDefaults(s.sparkContext().hadoopConfiguration());
      config
          .sparkConf()
          .forEach(
              (k, v) -> {
                if (k.startsWith("spark.hadoop.")) {
                  s.sparkContext()
                      .hadoopConfiguration()
                      .set(k.substring("spark.hadoop.".length()), v);
                } else if (s.conf().isModifiable(k)) {
                  s.conf().set(k, v);
                }
              });
      return s;
    }
    SparkConf conf = new SparkConf(true);
    boolean submitted = conf.contains("spark.master");
    SparkSession.Builder b = SparkSession.builder().appName(appName);
    if (!submitted && config.master() != null) {
      b.master(config.master());
      b.config("spark.ui.enabled", "false");
      b.config("spark.driver.host", "127.0.0.1");
      b.config("spark.driver.bindAddress", "127.0.0.1");
    }
    COMMON.forEach(
        (k, v) -> {
          if (!conf.contains(k)) {
            b.config(k, v);
          }
        });
    // A process-local catalog directory keeps CREATE DATABASE away from object storage.
    b.config(
        "spark.sql.warehouse.dir",
        java.nio.file.Path.of(System.getProperty("java.io.tmpdir"), "trust-atlas-catalog")
            .toUri()
            .toString());
    config.sparkConf().forEach(b::config);
    SparkSession session = b.getOrCreate();
    applyHadoopDefaults(session.sparkContext().hadoopConfiguration());
    return session;
  }
}
