package org.trustatlas.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.trustatlas.io.SparkSessions;

/**
 * One SparkSession per test JVM (local[2], UI off, loopback, few shuffle partitions), with the same
 * Delta, UTC and ANSI settings as production. Use with {@code @ExtendWith}.
 */
public final class SparkTestSession implements BeforeAllCallback {
  private static SparkSession spark;

  @Override
  public void beforeAll(ExtensionContext context) {
    get();
  }

  public static synchronized SparkSession get() {
    if (spark == null) {
      SparkSession.Builder b =
          SparkSession.builder()
              .appName("trust-atlas-tests")
              .master("local[2]")
              .config("spark.ui.enabled", "false")
              .config("spark.driver.host", "127.0.0.1")
              .config("spark.driver.bindAddress", "127.0.0.1")
              .config("spark.sql.shuffle.partitions", "2")
              .config("spark.default.parallelism", "2")
              .config("spark.databricks.delta.snapshotPartitions", "2")
              .config("spark.sql.warehouse.dir", tmp("catalog").toUri().toString());
      SparkSessions.COMMON.forEach(
          (k, v) -> {
            if (!k.equals("spark.sql.shuffle.partitions")) {
              b.config(k, v);
            }
          });
      spark = b.getOrCreate();
      Runtime.getRuntime().addShutdownHook(new Thread(() -> spark.stop()));
    }
    return spark;
  }

  /** A fresh temporary folder under target/. */
  public static Path tmp(String prefix) {
    try {
      Path base = Path.of("target", "test-tmp");
      Files.createDirectories(base);
      return Files.createTempDirectory(base.toAbsolutePath(), prefix);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** The repository root (data-samples, bin, ...). */
  public static Path repoRoot() {
    String p = System.getProperty("atlas.repo.root");
    return p != null ? Path.of(p) : Path.of("..").toAbsolutePath().normalize();
  }
}
