package org.trustatlas.bench;

import org.apache.spark.sql.SparkSession;
import org.trustatlas.io.SparkSessions;

/**
 * The trivial one-shot Spark job bench/run times against {@code bin/atlas nightly}: starts a local
 * session with the project's settings, writes a 10-row Delta table and exits.
 */
public final class TrivialJob {
  private TrivialJob() {}

  public static void main(String[] args) {
    SparkSession.Builder b =
        SparkSession.builder()
            .appName("trivial")
            .master(args.length > 1 ? args[1] : "local[*]")
            .config("spark.ui.enabled", "false")
            .config("spark.driver.host", "127.0.0.1")
            .config("spark.driver.bindAddress", "127.0.0.1");
    SparkSessions.COMMON.forEach(b::config);
    SparkSession spark = b.getOrCreate();
    spark.range(10).write().format("delta").mode("overwrite").save(args[0]);
    spark.stop();
  }
}
