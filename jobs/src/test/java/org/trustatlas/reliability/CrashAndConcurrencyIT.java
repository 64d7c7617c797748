package org.trustatlas.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.trustatlas.contract.TableSpec;
import org.trustatlas.contract.Tables;
import org.trustatlas.io.Warehouse;
import org.trustatlas.testing.ChildJvm;
import org.trustatlas.testing.Cli;
import org.trustatlas.testing.SparkTestSession;

/**
 * Crash safety and concurrent runs with real processes: nightly JVMs killed with SIGKILL at several
 * points, and two nightly JVMs started together on one warehouse.
 */
@ExtendWith(SparkTestSession.class)
class CrashAndConcurrencyIT {
  static final String DATE = "2025-04-20";
  static SparkSession spark;
  static Path input;
  static Map<String, List<String>> reference;

  @BeforeAll
  static void referenceRun() throws IOException {
    spark = SparkTestSession.get();
    input = org.trustatlas.testing.TestInputs.mini();
    Path wh = SparkTestSession.tmp("crash-reference-wh");
    Cli.Result r =
        Cli.run(
            "nightly", "--date", DATE, "--input", input.toString(), "--warehouse", wh.toString());
    assertThat(r.exitCode()).as(r.err()).isZero();
    reference = gold(wh);
  }

  /** Every gold table's rows, rendered and sorted, for exact comparison. */
  static Map<String, List<String>> gold(Path wh) {
    return org.trustatlas.testing.TableRows.sorted(
        new Warehouse(spark, wh.toString()),
        List.of(
            Tables.COUNTRY_SCORECARD,
            Tables.TRUST_UPTAKE_CORRELATION,
            Tables.MODEL_REACH,
            Tables.COUNTRY_MEASURES,
            Tables.USAGE_DAILY),
        CrashAndConcurrencyIT::render);
  }

  /**
   * A row as text with doubles to 9 significant digits: runs in other JVMs may add the same numbers
   * in another order, which changes only the last bits.
   */
  static String render(Row r) {
    StringBuilder b = new StringBuilder("[");
    for (int i = 0; i < r.length(); i++) {
      Object v = r.get(i);
      b.append(i == 0 ? "" : ",")
          .append(
              v instanceof Double d
                  ? String.format(java.util.Locale.ROOT, "%.9g", d)
                  : String.valueOf(v));
    }
    return b.append("]").toString();
  }

  static Process nightly(Path wh, Path log) throws IOException {
    String cp =
        System.getProperty("atlas.shaded.jar").replace("trust-atlas-spark.jar", "trust-atlas.jar")
            + java.io.File.pathSeparator
            + Files.readString(Path.of(System.getProperty("atlas.classpath.file"))).strip()
            + java.io.File.pathSeparator
            + Files.readString(
                    Path.of(System.getProperty("atlas.classpath.file"))
                        .resolveSibling("classpath-runtime.txt"))
                .strip();
    ProcessBuilder pb =
        ChildJvm.java(
            cp,
            "org.trustatlas.cli.AtlasCli",
            List.of(
                "nightly",
                "--date",
                DATE,
                "--input",
                input.toString(),
                "--warehouse",
                wh.toString()),
            log);
    pb.command()
        .add(
            1,
            "-Dlog4j2.configurationFile="
                + SparkTestSession.repoRoot().resolve("bin/log4j2.properties"));
    return pb.start();
  }

  /**
   * Waits until the child's log shows {@code marker} (plus a delay), then kills it with SIGKILL.
   */
  static void killAt(Process p, Path log, String marker, long delayMs) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
    while (System.nanoTime() < deadline && p.isAlive()) {
      if (Files.exists(log) && Files.readString(log).contains(marker)) {
        Thread.sleep(delayMs);
        break;
      }
      Thread.sleep(100);
    }
    assertThat(p.isAlive())
        .as("process still running at " + marker + ":\n" + Files.readString(log))
        .isTrue();
    new ProcessBuilder("kill", "-9", String.valueOf(p.pid())).start().waitFor();
    p.waitFor(30, TimeUnit.SECONDS);
    assertThat(p.isAlive()).isFalse();
  }

  @Test
  void killedRunsLeaveCommittedTablesAndARerunMatchesAnUninterruptedRun() throws Exception {
    Path wh = SparkTestSession.tmp("crash-wh");
    Warehouse w = new Warehouse(spark, wh.toString());
    String[][] points = {
      {"bronze.usage ...", "1500"}, {"silver.country_measures ...", "2000"}, {"gold ...", "4000"}
    };
    int n = 0;
    for (String[] point : points) {
      Path log = wh.resolveSibling(wh.getFileName() + "-kill" + n++ + ".log");
      killAt(nightly(wh, log), log, point[0], Long.parseLong(point[1]));
      for (TableSpec t : Tables.ALL.values()) {
        if (w.exists(t)) {
          assertThat(w.read(t).count())
              .as("%s readable after kill at %s", t.name(), point[0])
              .isNotNegative();
        }
      }
      if (w.exists(Tables.RUNS)) {
        assertThat(w.read(Tables.RUNS).where("status = 'success'").count()).isZero();
      }
    }
    Cli.Result r =
        Cli.run(
            "nightly", "--date", DATE, "--input", input.toString(), "--warehouse", wh.toString());
    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(gold(wh)).isEqualTo(reference);
  }

  @Test
  void twoRunsStartedTogetherNeverDuplicateRows() throws Exception {
    Path wh = SparkTestSession.tmp("concurrent-wh");
    Path log1 = wh.resolveSibling(wh.getFileName() + "-a.log");
    Path log2 = wh.resolveSibling(wh.getFileName() + "-b.log");
    Process a = nightly(wh, log1);
    Process b = nightly(wh, log2);
    int ea = ChildJvm.await(a, 10);
    int eb = ChildJvm.await(b, 10);
    String la = Files.readString(log1);
    String lb = Files.readString(log2);
    // One wins; the other fails at once with a clear message (or, if it started after the first
    // finished, simply re-runs the date and changes nothing).
    assertThat(List.of(ea, eb)).as(la + "\n----\n" + lb).contains(0);
    if (ea != 0 || eb != 0) {
      String loser = ea != 0 ? la : lb;
      assertThat(Math.max(ea, eb)).isEqualTo(1);
      assertThat(loser).contains("another run holds the warehouse");
    }
    assertThat(gold(wh)).isEqualTo(reference);
    assertThat(
            new Warehouse(spark, wh.toString())
                .read(Tables.RUNS)
                .where("status = 'success'")
                .count())
        .isBetween(1L, 2L);
  }
}
