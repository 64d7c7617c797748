package org.trustatlas.bench;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.StringType;
import org.apache.spark.sql.types.StructField;
import org.trustatlas.cli.AtlasCli;
import org.trustatlas.config.AtlasConfig;
import org.trustatlas.contract.TableSpec;
import org.trustatlas.contract.Tables;
import org.trustatlas.io.SparkSessions;
import org.trustatlas.io.Warehouse;

/**
 * The whole {@code nightly} on a generated log set of any size, then the checks issue #5 names:
 * rows read = rows out + rows quarantined for every step and source, no IP address, user id or user
 * agent past bronze, and a re-run of a date that commits nothing and leaves every table identical.
 * Exits 1 when a check fails, so a regression at scale is a red run, not a footnote.
 *
 * <p>{@code bench/nightly-check N} (after {@code bench/run N} generated the input).
 */
public final class NightlyCheck {
  private NightlyCheck() {}

  /** Values that would be personal data: IPv4 addresses, the generator's user ids, user agents. */
  static final String PERSONAL =
      "(^|[^0-9])([0-9]{1,3}\\.){3}[0-9]{1,3}([^0-9]|$)|usr_[0-9a-f]{8}|user-secret"
          + "|mozilla/|python-requests|curl/|wget/|go-http-client|github-actions|gitlab-runner";

  public static void main(String[] args) throws Exception {
    Path input = Path.of(args[0]).toAbsolutePath();
    Path wh = Path.of(args[1]).toAbsolutePath();
    String rerunDate = args[2];
    SparkSession spark =
        SparkSessions.create(
            AtlasConfig.builder()
                .input(input.toString())
                .warehouse(wh.toString())
                .master("local[*]")
                .build(),
            "nightly-check");
    List<String> failures = new ArrayList<>();
    PrintWriter out = new PrintWriter(System.out, true);

    long t0 = System.nanoTime();
    int code = nightly(out, input, wh);
    double catchUp = (System.nanoTime() - t0) / 1e9;
    out.printf("[check] nightly (catch-up) exit %d in %.1f s%n", code, catchUp);
    if (code != 0) {
      fail(failures, "nightly exited " + code);
      finish(out, failures);
    }
    Warehouse w = new Warehouse(spark, wh.toString());

    // 1. Conservation, per run, step and source.
    for (Row run :
        w.read(Tables.RUNS)
            .select("run_id", "status", "step_counts")
            .orderBy("run_id")
            .collectAsList()) {
      out.printf("[check] run %s %s%n", run.getString(0), run.getString(1));
      for (Row c : run.<Row>getList(2)) {
        long in = c.getLong(2);
        long o = c.getLong(3);
        long q = c.getLong(4);
        String line =
            String.format(
                "  %-20s %-45s in %,12d  out %,12d  quarantined %,10d",
                c.get(0), c.get(1), in, o, q);
        out.println(line + (in == o + q ? "" : "   <-- NOT CONSERVED"));
        if (in != o + q) {
          fail(failures, "not conserved: " + line.strip());
        }
      }
    }
    for (Row r :
        w.read(Tables.QUARANTINE)
            .groupBy("step", "reason")
            .agg(functions.sum("row_count").as("rows"))
            .orderBy("step", "reason")
            .collectAsList()) {
      out.printf("  quarantine %-30s %-20s %,d%n", r.get(0), r.get(1), r.getLong(2));
    }

    // 2. Privacy: past bronze, no personal column and no personal-looking value.
    for (TableSpec t : Tables.ALL.values()) {
      if (t.layer().equals("bronze") || !w.exists(t)) {
        continue;
      }
      Dataset<Row> df = w.read(t);
      for (StructField f : df.schema().fields()) {
        // Whole words of snake_case names: "ip" in client_ip, not in multiplier.
        if (f.name().matches("(?i)(.*_)?(ip|ip_address|user_id|user_agent|client_hash)(_.*)?")) {
          fail(failures, t.name() + " has a personal column " + f.name());
        }
      }
      var cond = functions.lit(false);
      for (StructField f : df.schema().fields()) {
        if (f.dataType() instanceof StringType) {
          cond = cond.or(functions.lower(functions.col(f.name())).rlike(PERSONAL));
        }
      }
      long hits = df.where(cond).count();
      out.printf("[check] privacy %-32s %,d personal-looking value(s)%n", t.name(), hits);
      if (hits > 0 && !t.name().equals(Tables.RUNS.name())) {
        fail(failures, t.name() + " holds " + hits + " personal-looking value(s)");
      }
    }

    // 3. Running a date again commits nothing and changes nothing. The date is the catch-up's own
    // run date, whose run covered every partition: quarantine rows belong to the dates of their
    // data, so the re-run neither loses nor repeats the other partitions' rows.
    Map<String, Long> before = versions(w);
    Map<String, List<String>> contentsBefore = contents(w);
    t0 = System.nanoTime();
    code = nightly(out, input, wh, "--date", rerunDate);
    out.printf(
        "[check] re-run of %s exit %d in %.1f s%n",
        rerunDate, code, (System.nanoTime() - t0) / 1e9);
    Map<String, Long> after = versions(w);
    before.remove(Tables.RUNS.name());
    after.remove(Tables.RUNS.name());
    if (code != 0) {
      fail(failures, "re-run exited " + code);
    }
    if (!before.equals(after)) {
      fail(failures, "the re-run committed: versions " + before + " -> " + after);
    } else {
      out.println("[check] re-run: no table got a new version " + after);
    }
    if (!contentsBefore.equals(contents(w))) {
      fail(failures, "the re-run changed silver/gold/quarantine rows");
    }

    // 4. The headline figure of the usage side.
    for (Row r :
        w.read(Tables.MODEL_REACH)
            .where("root_model_id = 'deepseek-ai/DeepSeek-R1'")
            .select("period", "root_downloads", "derivative_downloads", "derivative_multiplier")
            .collectAsList()) {
      out.printf(
          "[check] R1 %s: root %.0f, derivatives %.0f, multiplier %.2f%n",
          r.get(0), r.getDouble(1), r.getDouble(2), r.isNullAt(3) ? Double.NaN : r.getDouble(3));
    }
    finish(out, failures);
  }

  /** {@code nightly} in this JVM (the session above is reused) on the input and warehouse. */
  private static int nightly(PrintWriter out, Path input, Path wh, String... more) {
    List<String> args =
        new ArrayList<>(
            List.of("nightly", "--input", input.toString(), "--warehouse", wh.toString()));
    args.addAll(List.of(more));
    return AtlasCli.execute(out, new PrintWriter(System.err, true), args.toArray(String[]::new));
  }

  private static void fail(List<String> failures, String what) {
    failures.add(what);
    System.out.println("[check] FAILED: " + what);
  }

  private static void finish(PrintWriter out, List<String> failures) {
    out.println(
        failures.isEmpty()
            ? "[check] all checks passed"
            : "[check] " + failures.size() + " check(s) failed");
    out.flush();
    System.exit(failures.isEmpty() ? 0 : 1);
  }

  static Map<String, Long> versions(Warehouse w) {
    Map<String, Long> v = new TreeMap<>();
    for (TableSpec t : Tables.ALL.values()) {
      v.put(t.name(), w.version(t));
    }
    return v;
  }

  /** Silver, gold and quarantine rows (sorted text), to compare before and after a re-run. */
  static Map<String, List<String>> contents(Warehouse w) {
    // Which run wrote a row is not what the row says.
    return org.trustatlas.testing.TableRows.sorted(
        w,
        List.of(
            Tables.USAGE_DAILY,
            Tables.COUNTRY_SCORECARD,
            Tables.TRUST_UPTAKE_CORRELATION,
            Tables.MODEL_REACH,
            Tables.QUARANTINE),
        Row::toString,
        "run_id",
        "run_date");
  }
}
