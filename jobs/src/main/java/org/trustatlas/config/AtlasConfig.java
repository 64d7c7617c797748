package org.trustatlas.config;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/** Validated settings of one run: file settings overlaid by command-line flags. */
public final class AtlasConfig {

  /** How a merge of k parents credits its roots. */
  public enum MergeCredit {
    FRACTIONAL,
    FULL
  }

  private final String input;
  private final String warehouse;
  private final String master;
  private final Map<String, String> sparkConf;
  private final int minCountK;
  private final String salt;
  private final String primaryTrustMetric;
  private final String primaryUptakeMetric;
  private final int maxAgePeriods;
  private final MergeCredit mergeCredit;
  private final boolean rollUpGreaterChina;
  private final Map<String, String> expectationLevels;

  private AtlasConfig(Builder b) {
    this.input = b.input;
    this.warehouse = b.warehouse;
    this.master = b.master;
    this.sparkConf = Map.copyOf(b.sparkConf);
    this.minCountK = b.minCountK;
    this.salt = b.salt;
    this.primaryTrustMetric = b.primaryTrustMetric;
    this.primaryUptakeMetric = b.primaryUptakeMetric;
    this.maxAgePeriods = b.maxAgePeriods;
    this.mergeCredit = b.mergeCredit;
    this.rollUpGreaterChina = b.rollUpGreaterChina;
    this.expectationLevels = Map.copyOf(b.expectationLevels);
  }

  public static Builder builder() {
    return new Builder();
  }

  public Builder toBuilder() {
    Builder b = new Builder();
    b.input = input;
    b.warehouse = warehouse;
    b.master = master;
    b.sparkConf.putAll(sparkConf);
    b.minCountK = minCountK;
    b.salt = salt;
    b.primaryTrustMetric = primaryTrustMetric;
    b.primaryUptakeMetric = primaryUptakeMetric;
    b.maxAgePeriods = maxAgePeriods;
    b.mergeCredit = mergeCredit;
    b.rollUpGreaterChina = rollUpGreaterChina;
    b.expectationLevels.putAll(expectationLevels);
    return b;
  }

  /** Input root: survey folders, usage logs and reference data. Local path or {@code s3a://}. */
  public String input() {
    return input;
  }

  /** Warehouse root: one folder per layer, one Delta table per folder. */
  public String warehouse() {
    return warehouse;
  }

  /** Spark master for the embedded session; null when spark-submit already chose one. */
  public String master() {
    return master;
  }

  /** Extra Spark settings ({@code spark.*} and {@code spark.hadoop.*}), e.g. the S3A endpoint. */
  public Map<String, String> sparkConf() {
    return sparkConf;
  }

  /** Usage cells with fewer distinct clients than this are suppressed (k-anonymity floor). */
  public int minCountK() {
    return minCountK;
  }

  /** Salt for the one-way hash of client ids in bronze. Never logged. */
  public String salt() {
    return salt;
  }

  public String primaryTrustMetric() {
    return primaryTrustMetric;
  }

  public String primaryUptakeMetric() {
    return primaryUptakeMetric;
  }

  /**
   * How many periods back a wave may end and still count for a period (SPEC "Period and as-of").
   */
  public int maxAgePeriods() {
    return maxAgePeriods;
  }

  public MergeCredit mergeCredit() {
    return mergeCredit;
  }

  /** When true, Hong Kong, Macao and Taiwan are counted as China. Off by default. */
  public boolean rollUpGreaterChina() {
    return rollUpGreaterChina;
  }

  /** Overrides of expectation levels by expectation name: warn, drop or fail. */
  public Map<String, String> expectationLevels() {
    return expectationLevels;
  }

  /** The settings as printed in the manifest: everything except secrets. */
  public Map<String, Object> describe() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("input", input);
    m.put("warehouse", warehouse);
    m.put("master", master);
    m.put("min_count_k", minCountK);
    m.put("primary_trust_metric", primaryTrustMetric);
    m.put("primary_uptake_metric", primaryUptakeMetric);
    m.put("max_age_periods", maxAgePeriods);
    m.put("merge_credit", mergeCredit.name().toLowerCase(java.util.Locale.ROOT));
    m.put("roll_up_greater_china", rollUpGreaterChina);
    Map<String, String> conf = new LinkedHashMap<>();
    sparkConf.forEach((k, v) -> conf.put(k, Secrets.isSecretKey(k) ? "***" : v));
    m.put("spark_conf", conf);
    return m;
  }

  /** Mutable builder; {@link #build()} checks the values. */
  public static final class Builder {
    private String input = "data-samples";
    private String warehouse = "warehouse";
    private String master = "local[*]";
    private final Map<String, String> sparkConf = new LinkedHashMap<>();
    private int minCountK = 10;
    private String salt = "";
    private String primaryTrustMetric = "ai_benefits_outweigh_drawbacks";
    private String primaryUptakeMetric = "open_downloads_per_100k";
    private int maxAgePeriods = 1;
    private MergeCredit mergeCredit = MergeCredit.FRACTIONAL;
    private boolean rollUpGreaterChina = false;
    private final Map<String, String> expectationLevels = new LinkedHashMap<>();

    public Builder input(String v) {
      input = v;
      return this;
    }

    public Builder warehouse(String v) {
      warehouse = v;
      return this;
    }

    public Builder master(String v) {
      master = v;
      return this;
    }

    public Builder sparkConf(String k, String v) {
      sparkConf.put(k, v);
      return this;
    }

    public Builder minCountK(int v) {
      minCountK = v;
      return this;
    }

    public Builder salt(String v) {
      salt = v;
      return this;
    }

    public Builder primaryTrustMetric(String v) {
      primaryTrustMetric = v;
      return this;
    }

    public Builder primaryUptakeMetric(String v) {
      primaryUptakeMetric = v;
      return this;
    }

    public Builder maxAgePeriods(int v) {
      maxAgePeriods = v;
      return this;
    }

    public Builder mergeCredit(MergeCredit v) {
      mergeCredit = v;
      return this;
    }

    public Builder rollUpGreaterChina(boolean v) {
      rollUpGreaterChina = v;
      return this;
    }

    public Builder expectationLevel(String name, String level) {
      expectationLevels.put(name, level);
      return this;
    }

    public AtlasConfig build() {
      require(
          input != null && !input.isBlank(),
          "input",
          "set it to the input root, e.g. data-samples");
      require(
          warehouse != null && !warehouse.isBlank(),
          "warehouse",
          "set it to the warehouse root, e.g. ./warehouse");
      require(minCountK >= 1, "privacy.min_count_k", "use a whole number >= 1 (default 10)");
      require(maxAgePeriods >= 0, "gold.max_age_periods", "use a whole number >= 0 (default 1)");
      require(
          Objects.requireNonNull(primaryTrustMetric).matches("[a-z][a-z0-9_]*"),
          "gold.primary_trust_metric",
          "use a snake_case metric name such as ai_benefits_outweigh_drawbacks");
      require(
          Objects.requireNonNull(primaryUptakeMetric).matches("[a-z][a-z0-9_]*"),
          "gold.primary_uptake_metric",
          "use one of open_downloads_per_100k, open_requests_per_100k, ai_user_share,"
              + " deepseek_usage_share");
      for (Map.Entry<String, String> e : expectationLevels.entrySet()) {
        require(
            e.getValue().matches("warn|drop|fail"),
            "quality.expectations." + e.getKey(),
            "use warn, drop or fail");
      }
      return new AtlasConfig(this);
    }

    private static void require(boolean ok, String key, String fix) {
      if (!ok) {
        throw new ConfigException("invalid value for '" + key + "': " + fix);
      }
    }
  }
}
