package org.trustatlas.run;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.trustatlas.config.Secrets;
import org.trustatlas.contract.Tables;

/** Writes the run's row in {@code ops.runs} and its JSON manifest, whatever the outcome. */
public final class RunRecorder {
  private static final Logger LOG = LoggerFactory.getLogger(RunRecorder.class);
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private RunRecorder() {}

  /** Records the run; failures to record are logged, never hide the run's own outcome. */
  public static String record(RunContext ctx, String status, Throwable error) {
    Instant end = Instant.now();
    double seconds = Duration.between(ctx.startedAt(), end).toMillis() / 1000.0;
    String message =
        error == null
            ? null
            : Secrets.redact(
                error.getClass().getSimpleName() + ": " + error.getMessage(),
                ctx.config().sparkConf());
    String manifestPath = null;
    try {
      manifestPath = writeManifest(ctx, status, end, seconds, message);
    } catch (IOException | RuntimeException e) {
      LOG.error("could not write the run manifest: {}", e.getMessage());
    }
    try {
      appendRun(ctx, status, end, seconds, message);
    } catch (RuntimeException e) {
      LOG.error("could not append to ops.runs: {}", e.getMessage());
    }
    return manifestPath;
  }

  static Map<String, Object> manifest(
      RunContext ctx, String status, Instant end, double seconds, String error) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("run_id", ctx.runId());
    m.put("run_date", ctx.runDate().toString());
    m.put("command", ctx.command());
    m.put("status", status);
    m.put("started_at", ctx.startedAt().toString());
    m.put("finished_at", end.toString());
    m.put("duration_s", seconds);
    m.put("code_version", Version.get());
    m.put("config", ctx.config().describe());
    m.put("input_files", ctx.inputs());
    m.put("versions_read", ctx.versionsRead());
    m.put("output_versions", ctx.outputVersions());
    List<Map<String, Object>> counts = new ArrayList<>();
    for (StepCount c : ctx.counts()) {
      Map<String, Object> cm = new LinkedHashMap<>();
      cm.put("step", c.step());
      cm.put("source", c.source());
      cm.put("rows_in", c.rowsIn());
      cm.put("rows_out", c.rowsOut());
      cm.put("rows_quarantined", c.rowsQuarantined());
      cm.put("conserved", c.conserved());
      counts.add(cm);
    }
    m.put("step_counts", counts);
    m.put("expectations", ctx.expectations());
    m.put("error", error);
    return m;
  }

  private static String writeManifest(
      RunContext ctx, String status, Instant end, double seconds, String error) throws IOException {
    byte[] body =
        JSON.writeValueAsString(manifest(ctx, status, end, seconds, error))
            .getBytes(StandardCharsets.UTF_8);
    String file = ctx.warehouse().root() + "/_manifests/" + ctx.runId() + ".json";
    Path p = new Path(file);
    FileSystem fs = p.getFileSystem(ctx.spark().sparkContext().hadoopConfiguration());
    try (OutputStream out = fs.create(p, true)) {
      out.write(body);
    }
    return file;
  }

  private static void appendRun(
      RunContext ctx, String status, Instant end, double seconds, String error) {
    List<Row> steps = new ArrayList<>();
    for (StepCount c : ctx.counts()) {
      steps.add(
          RowFactory.create(c.step(), c.source(), c.rowsIn(), c.rowsOut(), c.rowsQuarantined()));
    }
    List<Row> exps = new ArrayList<>();
    for (ExpectationResult e : ctx.expectations()) {
      exps.add(
          RowFactory.create(
              e.name(), e.table(), e.level(), e.passed(), e.failedRows(), e.detail()));
    }
    String config;
    try {
      config = JSON.writeValueAsString(ctx.config().describe());
    } catch (IOException e) {
      config = null;
    }
    Row row =
        RowFactory.create(
            ctx.runId(),
            java.sql.Date.valueOf(ctx.runDate()),
            ctx.command(),
            Timestamp.from(ctx.startedAt()),
            Timestamp.from(end),
            seconds,
            status,
            Version.get(),
            config,
            scala.jdk.javaapi.CollectionConverters.asScala(ctx.inputs()).toSeq(),
            scala.jdk.javaapi.CollectionConverters.asScala(ctx.versionsRead()),
            scala.jdk.javaapi.CollectionConverters.asScala(ctx.outputVersions()),
            scala.jdk.javaapi.CollectionConverters.asScala(steps).toSeq(),
            scala.jdk.javaapi.CollectionConverters.asScala(exps).toSeq(),
            error);
    var df = ctx.spark().createDataFrame(List.of(row), Tables.RUNS.schema());
    ctx.warehouse().appendOnce(Tables.RUNS, df, "trust-atlas/ops.runs/" + ctx.runId(), 0);
  }
}
