package org.trustatlas.io;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.trustatlas.testing.SparkTestSession;

@ExtendWith(SparkTestSession.class)
class SparkSessionsTest {

  @Test
  void interpretedStepsPlanSmallAndCompiledStepsGetTheSessionsOwnSettingsBack() {
    SparkSession spark = SparkTestSession.get();
    var conf = spark.conf();
    String partitions = conf.get("spark.sql.shuffle.partitions");
    String adaptive = conf.get("spark.sql.adaptive.enabled");
    try {
      SparkSessions.compileQueries(spark, false);
      assertThat(conf.get("spark.sql.shuffle.partitions")).isEqualTo("1");
      assertThat(conf.get("spark.sql.adaptive.enabled")).isEqualTo("false");
      assertThat(conf.get("spark.sql.codegen.wholeStage")).isEqualTo("false");
      assertThat(spark.range(10).groupBy("id").count().count()).isEqualTo(10);

      SparkSessions.compileQueries(spark, true);
      assertThat(conf.get("spark.sql.shuffle.partitions")).isEqualTo(partitions);
      assertThat(conf.get("spark.sql.adaptive.enabled")).isEqualTo(adaptive);
      assertThat(conf.get("spark.sql.codegen.wholeStage")).isEqualTo("true");

      // Interpreted again, then compiled: still the session's own values, not the small ones.
      SparkSessions.compileQueries(spark, false);
      SparkSessions.compileQueries(spark, true);
      assertThat(conf.get("spark.sql.shuffle.partitions")).isEqualTo(partitions);
      assertThat(conf.get("spark.sql.codegen.factoryMode")).isEqualTo("FALLBACK");
    } finally {
      SparkSessions.compileQueries(spark, true);
    }
  }

  @Test
  void s3aDefaultsFillOnlyWhatNobodySet() throws Exception {
    String provider = "fs.s3a.aws.credentials.provider";
    String region = "fs.s3a.endpoint.region";

    // Nothing but Hadoop's own core-default.xml: the project's defaults apply.
    var plain = new org.apache.hadoop.conf.Configuration();
    SparkSessions.applyHadoopDefaults(plain);
    assertThat(plain.get(provider))
        .isEqualTo(SparkSessions.HADOOP_DEFAULTS.get(provider))
        .doesNotContain("IAMInstanceCredentialsProvider");
    assertThat(plain.get(region)).isEqualTo("us-east-1");

    // A cluster's core-site.xml names its own provider and region: they are kept.
    java.nio.file.Path site = SparkTestSession.tmp("core-site").resolve("core-site.xml");
    java.nio.file.Files.writeString(
        site,
        "<?xml version=\"1.0\"?><configuration>"
            + "<property><name>"
            + provider
            + "</name><value>software.amazon.awssdk.auth.credentials.InstanceProfileCredentialsProvider</value></property>"
            + "<property><name>"
            + region
            + "</name><value>eu-west-1</value></property></configuration>");
    var cluster = new org.apache.hadoop.conf.Configuration();
    cluster.addResource(new org.apache.hadoop.fs.Path(site.toUri()));
    SparkSessions.applyHadoopDefaults(cluster);
    assertThat(cluster.get(provider))
        .isEqualTo("software.amazon.awssdk.auth.credentials.InstanceProfileCredentialsProvider");
    assertThat(cluster.get(region)).isEqualTo("eu-west-1");

    // So is a value Spark set from --conf spark.hadoop.… (or the config file's s3: section).
    var submitted = new org.apache.hadoop.conf.Configuration();
    submitted.set(region, "ap-southeast-1", "spark.hadoop");
    SparkSessions.applyHadoopDefaults(submitted);
    assertThat(submitted.get(region)).isEqualTo("ap-southeast-1");
    assertThat(submitted.get(provider)).isEqualTo(SparkSessions.HADOOP_DEFAULTS.get(provider));
  }

  @Test
  void theRunsSessionCarriesTheS3aDefaults() {
    SparkSession spark = SparkTestSession.get();
    var hadoop = spark.sparkContext().hadoopConfiguration();
    hadoop.unset("fs.s3a.aws.credentials.provider");
    SparkSessions.create(
        org.trustatlas.config.AtlasConfig.builder().input("in").warehouse("wh").build(), "test");
    assertThat(hadoop.get("fs.s3a.aws.credentials.provider"))
        .isEqualTo(SparkSessions.HADOOP_DEFAULTS.get("fs.s3a.aws.credentials.provider"));
  }

  /**
   * notebooks/atlas.py keeps copies of the session settings for the pyspark path (where the jar's
   * maps are out of reach): they must be the jobs' own.
   */
  @Test
  void theNotebooksCopiesOfTheSettingsAreTheJobs() throws Exception {
    String py =
        java.nio.file.Files.readString(SparkTestSession.repoRoot().resolve("notebooks/atlas.py"));
    assertThat(pythonDict(py, "COMMON")).isEqualTo(SparkSessions.COMMON);
    assertThat(pythonDict(py, "HADOOP_DEFAULTS")).isEqualTo(SparkSessions.HADOOP_DEFAULTS);
  }

  /** A top-level {@code NAME = { "k": "v" "v continued", ... }} of string literals. */
  private static java.util.Map<String, String> pythonDict(String py, String name) {
    int start = py.indexOf("\n" + name + " = {\n");
    assertThat(start).as(name + " in notebooks/atlas.py").isNotNegative();
    String body = py.substring(start, py.indexOf("\n}\n", start));
    java.util.Map<String, String> out = new java.util.LinkedHashMap<>();
    var entry =
        java.util.regex.Pattern.compile("\"([^\"]+)\":\\s*((?:\"[^\"]*\"\\s*)+),").matcher(body);
    while (entry.find()) {
      out.put(entry.group(1), entry.group(2).replaceAll("\"\\s*\"", "").replaceAll("\"", ""));
    }
    return out;
  }
}
