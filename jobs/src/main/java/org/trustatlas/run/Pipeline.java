package org.trustatlas.run;

import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.trustatlas.quality.DataQualityException;

/** Runs steps in order for one run date and records the run, whatever happens. */
public final class Pipeline {
  private static final Logger LOG = LoggerFactory.getLogger(Pipeline.class);

  private Pipeline() {}

  /** Runs {@code steps}; rethrows the first failure after recording it in ops.runs. */
  public static void run(RunContext ctx, List<Step> steps) {
    try (var lock =
        org.trustatlas.io.WarehouseLock.acquire(
            ctx.spark().sparkContext().hadoopConfiguration(),
            ctx.warehouse().root(),
            ctx.runId())) {
      runLocked(ctx, steps);
    }
  }

  /** A failed run still keeps what its finished steps quarantined. */
  private static void flushQuarantineAfterFailure(RunContext ctx) {
    try {
      org.trustatlas.io.Quarantine.flush(ctx);
    } catch (RuntimeException e) {
      LOG.error("could not write the quarantined rows: {}", e.getMessage());
    }
  }

  private static void runLocked(RunContext ctx, List<Step> steps) {
    String status = "failed";
    Throwable error = null;
    try {
      for (Step s : steps) {
        long t0 = System.nanoTime();
        LOG.info("[{}] {} ...", ctx.runDate(), s.name());
        org.trustatlas.io.SparkSessions.compileQueries(ctx.spark(), s.compiles(ctx));
        s.run(ctx);
        LOG.info(
            "[{}] {} done in {} s",
            ctx.runDate(),
            s.name(),
            String.format(java.util.Locale.ROOT, "%.1f", (System.nanoTime() - t0) / 1e9));
      }
      org.trustatlas.io.Quarantine.flush(ctx);
      status = "success";
    } catch (DataQualityException e) {
      status = "expectation_failed";
      error = e;
      throw e;
    } catch (RuntimeException | Error e) {
      error = e;
      throw e;
    } finally {
      if (error != null) {
        flushQuarantineAfterFailure(ctx);
      }
      String manifest = RunRecorder.record(ctx, status, error);
      LOG.info("[{}] run {} {}; manifest {}", ctx.runDate(), ctx.runId(), status, manifest);
    }
  }
}
