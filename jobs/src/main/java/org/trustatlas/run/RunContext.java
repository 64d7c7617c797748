package org.trustatlas.run;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.trustatlas.config.AtlasConfig;
import org.trustatlas.io.Warehouse;

/**
 * What one run knows and records: its id and date, settings, session and warehouse, and the counts,
 * inputs, versions and expectation results that end up in {@code ops.runs}.
 */
public final class RunContext {
  private final String runId;
  private final LocalDate runDate;
  private final String command;
  private final AtlasConfig config;
  private final SparkSession spark;
  private final Warehouse warehouse;
  private final Instant startedAt;
  private final List<StepCount> counts = Collections.synchronizedList(new ArrayList<>());
  private final List<ExpectationResult> expectations =
      Collections.synchronizedList(new ArrayList<>());
  private final Set<String> inputs = Collections.synchronizedSet(new LinkedHashSet<>());
  private final Map<String, Long> versionsRead = Collections.synchronizedMap(new LinkedHashMap<>());
  private final Map<String, Long> outputVersions =
      Collections.synchronizedMap(new LinkedHashMap<>());
  private volatile List<LocalDate> usagePartitions = List.of();
  private final Map<String, Quarantined> quarantined =
      Collections.synchronizedMap(new LinkedHashMap<>());

  public RunContext(
      String runId,
      LocalDate runDate,
      String command,
      AtlasConfig config,
      SparkSession spark,
      Instant startedAt) {
    this.runId = runId;
    this.runDate = runDate;
    this.command = command;
    this.config = config;
    this.spark = spark;
    this.warehouse = new Warehouse(spark, config.warehouse());
    this.startedAt = startedAt;
  }

  public String runId() {
    return runId;
  }

  public LocalDate runDate() {
    return runDate;
  }

  public String command() {
    return command;
  }

  public AtlasConfig config() {
    return config;
  }

  public SparkSession spark() {
    return spark;
  }

  /**
   * The salt of client hashes: the configured one, or else the warehouse's own ({@link
   * org.trustatlas.io.WarehouseSalt}), resolved once per run.
   */
  public synchronized String salt() {
    if (salt == null) {
      salt = org.trustatlas.io.WarehouseSalt.resolve(spark, config.salt(), warehouse.root());
    }
    return salt;
  }

  private String salt;

  public Warehouse warehouse() {
    return warehouse;
  }

  public Instant startedAt() {
    return startedAt;
  }

  public void count(StepCount c) {
    counts.add(c);
  }

  public List<StepCount> counts() {
    return List.copyOf(counts);
  }

  public void expectation(ExpectationResult r) {
    expectations.add(r);
  }

  public List<ExpectationResult> expectations() {
    return List.copyOf(expectations);
  }

  public void input(String fileOrPartition) {
    inputs.add(fileOrPartition);
  }

  public List<String> inputs() {
    return List.copyOf(inputs);
  }

  public void versionRead(String table, long version) {
    versionsRead.put(table, version);
  }

  public Map<String, Long> versionsRead() {
    return Map.copyOf(versionsRead);
  }

  public void outputVersion(String table, long version) {
    outputVersions.put(table, version);
  }

  public Map<String, Long> outputVersions() {
    return Map.copyOf(outputVersions);
  }

  /**
   * Usage-log partitions (dates) this run reads: the run date, or every pending one on catch-up.
   */
  public List<LocalDate> usagePartitions() {
    return usagePartitions;
  }

  public void usagePartitions(List<LocalDate> dates) {
    usagePartitions = List.copyOf(dates);
  }

  /**
   * A step's unusable rows and the data dates it recomputed: the rows replace exactly that step's
   * quarantine rows of those dates, or, for a step that rebuilds its whole output every run
   * (surveys, models, measures, the paths no landing reads), every earlier row of the step.
   *
   * @param rows source, location, raw, reason, detail, row_count and data_date
   * @param dates the data dates (slices) the step recomputed, whether or not it quarantined any
   * @param whole true when the step's earlier rows are all replaced, whatever their dates
   */
  public record Quarantined(Dataset<Row> rows, Set<LocalDate> dates, boolean whole) {
    public Quarantined {
      dates = Set.copyOf(dates);
    }

    public Quarantined(Dataset<Row> rows, Set<LocalDate> dates) {
      this(rows, dates, false);
    }

    Quarantined plus(Quarantined o) {
      Set<LocalDate> all = new java.util.TreeSet<>(dates);
      all.addAll(o.dates);
      return new Quarantined(rows.unionByName(o.rows), all, whole || o.whole);
    }
  }

  /**
   * Keeps a step's unusable rows until the run writes them all to {@code ops.quarantine} in one
   * commit. The frame is evaluated then, so it must not depend on a cache the step releases.
   */
  public void quarantine(String step, Quarantined q) {
    quarantined.merge(step, q, Quarantined::plus);
  }

  /** The quarantined rows kept so far, by step; the next call returns only newer ones. */
  public Map<String, Quarantined> takeQuarantined() {
    synchronized (quarantined) {
      Map<String, Quarantined> out = new LinkedHashMap<>(quarantined);
      quarantined.clear();
      return out;
    }
  }
}
