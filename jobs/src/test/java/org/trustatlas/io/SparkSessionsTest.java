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
}
