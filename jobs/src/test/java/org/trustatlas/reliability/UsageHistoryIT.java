package org.trustatlas.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.trustatlas.contract.Tables;
import org.trustatlas.io.Warehouse;
import org.trustatlas.testing.Cli;
import org.trustatlas.testing.SparkTestSession;

/**
 * A night's silver usage reads the bronze files that can hold the dates it recomputes, not the
 * whole history: with an older partition in bronze it reads exactly as many rows as without it.
 */
@ExtendWith(SparkTestSession.class)
class UsageHistoryIT {
  static final String UA = "Mozilla/5.0";
  static final String R1 = "deepseek-ai/DeepSeek-R1";
  static final int JANUARY = 2000;

  @Test
  void silverUsageReadsNoOlderPartitionThanItsDatesNeed() throws Exception {
    SparkSession spark = SparkTestSession.get();
    Path both = SparkTestSession.tmp("history-both");
    Path march = SparkTestSession.tmp("history-march");
    // Every partition holds a line without a timestamp (no event date): it counts under its
    // partition's date, so the older file cannot be skipped on its dates alone.
    for (Path in : List.of(both, march)) {
      logs(in, "2025-03-01", "m", 12);
      Files.createDirectories(in.resolve("reference"));
      Files.copy(
          SparkTestSession.repoRoot().resolve("data-samples/reference/models.csv"),
          in.resolve("reference/models.csv"));
    }
    logs(both, "2025-01-10", "j", JANUARY);

    AtomicLong read = new AtomicLong();
    SparkListener count =
        new SparkListener() {
          @Override
          public void onTaskEnd(SparkListenerTaskEnd e) {
            if (e.taskMetrics() != null) {
              read.addAndGet(e.taskMetrics().inputMetrics().recordsRead());
            }
          }
        };
    List<Long> silverRead = new ArrayList<>();
    List<List<String>> usage = new ArrayList<>();
    for (Path in : List.of(both, march)) {
      Path wh = SparkTestSession.tmp("history-wh");
      for (String date : in == both ? List.of("2025-01-10", "2025-03-01") : List.of("2025-03-01")) {
        assertThat(run("bronze", date, in, wh).exitCode()).isZero();
      }
      spark.sparkContext().listenerBus().waitUntilEmpty();
      read.set(0);
      spark.sparkContext().addSparkListener(count);
      try {
        Cli.Result r = run("silver", "2025-03-01", in, wh);
        assertThat(r.exitCode()).as(r.err()).isZero();
        spark.sparkContext().listenerBus().waitUntilEmpty();
      } finally {
        spark.sparkContext().removeSparkListener(count);
      }
      silverRead.add(read.get());
      Warehouse w = new Warehouse(spark, wh.toString());
      usage.add(
          w.read(Tables.USAGE_DAILY).where("date = DATE'2025-03-01'").collectAsList().stream()
              .map(Row::toString)
              .sorted()
              .toList());
      assertThat(
              w.read(Tables.QUARANTINE)
                  .where("reason = 'bad_value' AND data_date = DATE'2025-03-01'")
                  .agg(org.apache.spark.sql.functions.sum("row_count"))
                  .first()
                  .getLong(0))
          .as("the March line without a timestamp")
          .isEqualTo(1);
    }
    assertThat(usage.get(0)).isNotEmpty().isEqualTo(usage.get(1));
    // Only the Delta log of the longer history is read more (its commits): far fewer records than
    // the January partition holds, which each pass over the events would read again.
    assertThat(silverRead.get(0) - silverRead.get(1))
        .as("records read with the January partition in bronze, beyond those without it")
        .isLessThan(JANUARY);
  }

  /** A downloads partition: n clients of one model, and one line without a timestamp. */
  static void logs(Path in, String date, String prefix, int n) throws IOException {
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      String ip = "198.51." + (i / 250) + "." + (i % 250 + 1);
      lines.add(LogBadInputIT.dl(prefix + i, date + "T10:00:00Z", R1, ip, "IN", UA));
    }
    lines.add(LogBadInputIT.dl(prefix + "-no-ts", null, R1, "198.51.100.99", "IN", UA));
    Path dir = Files.createDirectories(in.resolve("logs/downloads/date=" + date));
    Files.write(
        dir.resolve("part-00000.jsonl.gz"), LogBadInputIT.gzip(String.join("\n", lines) + "\n"));
  }

  static Cli.Result run(String command, String date, Path in, Path wh) {
    return Cli.run(command, "--date", date, "--input", in.toString(), "--warehouse", wh.toString());
  }
}
