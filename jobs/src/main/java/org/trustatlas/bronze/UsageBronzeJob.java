package org.trustatlas.bronze;

import java.time.LocalDate;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import org.trustatlas.config.AtlasConfig;
import org.trustatlas.run.RunContext;
import org.trustatlas.run.Step;

/** Lands the usage-log partitions of the run in bronze. */
public final class UsageBronzeJob implements Step {
  public static final String STEP = "bronze.usage";

  @Override
  public String name() {
    return STEP;
  }

  @Override
  public void run(RunContext ctx) {}

  /** Usage-log partitions present under the input and not yet processed by a successful run. */
  public static List<LocalDate> pendingPartitions(SparkSession spark, AtlasConfig config) {
    return List.of();
  }
}
