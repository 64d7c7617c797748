package org.trustatlas.bench;

import org.apache.spark.sql.SparkSession;
import org.trustatlas.contract.TableSpec;
import org.trustatlas.contract.Tables;
import org.trustatlas.io.SparkSessions;
import org.trustatlas.io.Warehouse;

/**
 * The one-shot Spark jobs bench/run times against {@code bin/atlas nightly}. Each starts a local
 * session with the project's settings and exits:
 *
 * <ul>
 *   <li>{@code TrivialJob DIR} writes a 10-row Delta table: Spark's own one-shot cost;
 *   <li>{@code TrivialJob DIR --tables} creates every contract table, empty, as a first nightly
 *       does (schema, constraints, properties; one commit each) and nothing else: the least a
 *       one-shot nightly into a new warehouse costs before it reads or computes anything.
 * </ul>
 */
public final class TrivialJob {
  private TrivialJob() {}

  public static void main(String[] args) {
    boolean tables = java.util.List.of(args).contains("--tables");
    SparkSession.Builder b =
        SparkSession.builder()
            .appName("trivial")
            .master("local[*]")
            .config("spark.ui.enabled", "false")
            .config("spark.driver.host", "127.0.0.1")
            .config("spark.driver.bindAddress", "127.0.0.1");
    SparkSessions.COMMON.forEach(b::config);
    SparkSession spark = b.getOrCreate();
    if (tables) {
      SparkSessions.compileQueries(spark, false); // as a run does on sample-sized inputs
      Warehouse wh = new Warehouse(spark, args[0]);
      for (TableSpec t : Tables.ALL.values()) {
        wh.ensure(t);
      }
      System.out.println("created " + Tables.ALL.size() + " tables");
    } else {
      spark.range(10).write().format("delta").mode("overwrite").save(args[0]);
    }
    spark.stop();
  }
}
