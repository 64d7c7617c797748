package org.trustatlas.gold;

import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The definitions of SPEC.md "Definitions" as Dataset transforms: as-of selection, trust values,
 * uptake values, ranks with intervals, quadrants and correlations. No I/O, no clock.
 */
public final class Scorecard {
  /** Metrics that measure uptake; every other metric is a trust metric. */
  public static final List<String> UPTAKE_METRICS =
      List.of(
          "open_downloads_per_100k",
          "open_requests_per_100k",
          "ai_user_share",
          "deepseek_usage_share");

  static final double Z = 1.959963984540054;

  private Scorecard() {}

  private static String view(Dataset<Row> df, String prefix) {
    String name = prefix + "_" + Integer.toHexString(System.identityHashCode(df));
    df.createOrReplaceTempView(name);
    return name;
  }

  /**
   * Per period P, source, country and metric: the latest wave whose period lies in [P - maxAge, P];
   * a republishing source is dropped where its original measures the same thing.
   *
   * @param measures silver.country_measures
   * @param periods one column {@code period}
   */
  public static Dataset<Row> latestAsOf(Dataset<Row> measures, Dataset<Row> periods, int maxAge) {
    SparkSession spark = measures.sparkSession();
    String m = view(measures, "g_measures");
    String p = view(periods, "g_periods");
    return spark.sql(
        "WITH c AS (SELECT p.period AS as_of, m.* FROM "
            + p
            + " p JOIN "
            + m
            + " m"
            + " ON m.period <= p.period AND m.period >= p.period - "
            + maxAge
            + "),"
            + " l AS (SELECT * FROM (SELECT *, row_number() OVER (PARTITION BY as_of, source,"
            + " country_iso3, metric ORDER BY fieldwork_end DESC, wave DESC) AS rn FROM c) WHERE rn = 1)"
            + " SELECT l.* EXCEPT (rn) FROM l WHERE l.republishes IS NULL OR NOT EXISTS (SELECT 1"
            + " FROM l o WHERE o.source = l.republishes AND o.as_of = l.as_of AND o.country_iso3 ="
            + " l.country_iso3 AND o.metric = l.metric)");
  }

  /**
   * The sum of a double expression added as exact decimals, then a double: the same values give the
   * same bits in whatever order Spark reads them (a sum of doubles depends on the order, and a
   * re-run or a rewritten input file must give the same gold).
   */
  public static String exactSum(String expr) {
    return "CAST(sum(CAST(" + expr + " AS DECIMAL(38, 17))) AS DOUBLE)";
  }

  /** The mean of a double expression, order-independent as {@link #exactSum}. */
  public static String exactAvg(String expr) {
    return "CAST(avg(CAST(" + expr + " AS DECIMAL(38, 17))) AS DOUBLE)";
  }

  /**
   * Value per country, period and metric: the mean over sources of each source's latest value; the
   * interval is the mean of the sources' bounds when every source has bounds.
   */
  public static Dataset<Row> meanOverSources(Dataset<Row> latest) {
    String l = view(latest, "g_latest");
    return latest
        .sparkSession()
        .sql(
            "SELECT as_of AS period, country_iso3, metric, "
                + exactAvg("value")
                + " AS value, CASE WHEN count(ci_low) = count(*) THEN "
                + exactAvg("ci_low")
                + " END AS ci_low, CASE WHEN count(ci_high) = count(*) THEN "
                + exactAvg("ci_high")
                + " END AS ci_high,"
                + " array_join(array_sort(collect_list(source || ':' || wave)), '; ') AS sources,"
                + " array_sort(collect_set(licence)) AS licences,"
                + " bool_and(redistributable) AS redistributable"
                + " FROM "
                + l
                + " GROUP BY as_of, country_iso3, metric");
  }

  /**
   * The scorecard: every trust metric against every uptake metric, among countries with both.
   *
   * @param trust period, country_iso3, metric, value, ci_low, ci_high, sources, licences,
   *     redistributable
   * @param uptake period, country_iso3, metric, value, sources, licences, redistributable
   * @param shares period, country_iso3, share_cn, share_us, share_other (may be empty)
   * @param countries silver.countries
   */
  public static Dataset<Row> build(
      Dataset<Row> trust, Dataset<Row> uptake, Dataset<Row> shares, Dataset<Row> countries) {
    SparkSession spark = trust.sparkSession();
    String t = view(trust, "g_trust");
    String u = view(uptake, "g_uptake");
    String s = view(shares, "g_shares");
    String c = view(countries, "g_countries");
    String pairs =
        "SELECT t.period, t.country_iso3, t.metric AS trust_metric, t.value AS trust_value,"
            + " t.ci_low AS trust_ci_low, t.ci_high AS trust_ci_high, t.sources AS trust_sources,"
            + " u.metric AS uptake_metric, u.value AS uptake_value, u.sources AS uptake_source,"
            + " array_distinct(concat(t.licences, u.licences)) AS lic,"
            + " t.redistributable AND u.redistributable AS redistributable"
            + " FROM "
            + t
            + " t JOIN "
            + u
            + " u USING (period, country_iso3)";
    String ranked =
        "SELECT *, count(*) OVER g AS n_countries,"
            + " CAST(rank() OVER (PARTITION BY period, trust_metric, uptake_metric ORDER BY"
            + " trust_value DESC) AS INT) AS trust_rank,"
            + " CAST(rank() OVER (PARTITION BY period, trust_metric, uptake_metric ORDER BY"
            + " uptake_value DESC) AS INT) AS uptake_rank,"
            + " percentile(trust_value, 0.5) OVER g AS trust_median,"
            + " percentile(uptake_value, 0.5) OVER g AS uptake_median,"
            + " coalesce(trust_ci_low, trust_value) AS lo, coalesce(trust_ci_high, trust_value) AS hi"
            + " FROM ("
            + pairs
            + ") WINDOW g AS (PARTITION BY period, trust_metric, uptake_metric)";
    String rv = view(spark.sql(ranked), "g_ranked");
    // Rank interval: best = 1 + countries wholly above; worst = N - countries wholly below.
    String intervals =
        "SELECT a.period, a.trust_metric, a.uptake_metric, a.country_iso3,"
            + " CAST(1 + count_if(b.lo > a.hi) AS INT) AS trust_rank_best,"
            + " CAST(max(a.n_countries) - count_if(b.hi < a.lo) AS INT) AS trust_rank_worst"
            + " FROM "
            + rv
            + " a JOIN "
            + rv
            + " b ON a.period = b.period AND a.trust_metric ="
            + " b.trust_metric AND a.uptake_metric = b.uptake_metric AND a.country_iso3 <>"
            + " b.country_iso3 GROUP BY a.period, a.trust_metric, a.uptake_metric, a.country_iso3";
    String iv = view(spark.sql(intervals), "g_intervals");
    return spark.sql(
        "SELECT r.country_iso3, c.short_name AS country_name, r.period, r.trust_metric,"
            + " r.trust_value, r.trust_ci_low, r.trust_ci_high, r.trust_rank,"
            + " coalesce(i.trust_rank_best, 1) AS trust_rank_best,"
            + " coalesce(i.trust_rank_worst, 1) AS trust_rank_worst,"
            + " r.uptake_metric, r.uptake_value, r.uptake_rank,"
            + " r.uptake_rank - r.trust_rank AS rank_gap,"
            + " concat(CASE WHEN r.trust_value >= r.trust_median THEN 'high' ELSE 'low' END,"
            + " ' trust / ', CASE WHEN r.uptake_value >= r.uptake_median THEN 'high' ELSE 'low'"
            + " END, ' uptake') AS quadrant,"
            + " s.share_cn, s.share_us, s.share_other, c.income_group, c.developing,"
            + " CAST(r.n_countries AS INT) AS n_countries, r.trust_sources, r.uptake_source,"
            + " concat_ws('; ', r.trust_sources, r.uptake_source) AS sources,"
            + " array_join(array_sort(r.lic), '; ') AS licences,"
            + " coalesce(r.redistributable, false) AS redistributable"
            + " FROM "
            + rv
            + " r LEFT JOIN "
            + iv
            + " i USING (period, trust_metric, uptake_metric,"
            + " country_iso3) JOIN "
            + c
            + " c ON c.iso3 = r.country_iso3"
            + " LEFT JOIN "
            + s
            + " s ON s.period = r.period AND s.country_iso3 = r.country_iso3");
  }

  /** Pearson (with a Fisher-z 95 % interval) and Spearman per group; no coefficient when n < 4. */
  public static Dataset<Row> correlations(Dataset<Row> scorecard) {
    // Scorecards hold thousands of rows: one pass brings the pairs to the driver, where the
    // coefficients are a few loops (a Spark query here was four windows and a dozen stages).
    Dataset<Row> pairs =
        scorecard.select(
            "period", "trust_metric", "uptake_metric", "developing", "trust_value", "uptake_value");
    java.util.Map<List<Object>, List<double[]>> groups = new java.util.TreeMap<>(GROUP_ORDER);
    for (Row r : pairs.collectAsList()) {
      double[] xy = {
        r.isNullAt(4) ? Double.NaN : ((Number) r.get(4)).doubleValue(),
        r.isNullAt(5) ? Double.NaN : ((Number) r.get(5)).doubleValue()
      };
      List<Object> key = List.of(r.get(0), r.getString(1), r.getString(2));
      groups.computeIfAbsent(concat(key, "all"), k -> new java.util.ArrayList<>()).add(xy);
      if (!r.isNullAt(3)) {
        String g = r.getBoolean(3) ? "developing" : "developed";
        groups.computeIfAbsent(concat(key, g), k -> new java.util.ArrayList<>()).add(xy);
      }
    }
    List<Row> out = new java.util.ArrayList<>();
    for (var e : groups.entrySet()) {
      List<double[]> xy = e.getValue();
      // Sums of doubles depend on their order: pairs in a fixed order give the same bits whatever
      // order the rows arrived in.
      xy.sort(
          java.util.Comparator.<double[]>comparingDouble(p -> p[0]).thenComparingDouble(p -> p[1]));
      int n = xy.size();
      double r = pearson(xy);
      double rho = pearson(averageRanks(xy));
      boolean enough = n >= 4;
      Double lo = null;
      Double hi = null;
      if (enough && Math.abs(r) < 1) {
        double z = atanh(r);
        lo = Math.tanh(z - Z / Math.sqrt(n - 3));
        hi = Math.tanh(z + Z / Math.sqrt(n - 3));
      }
      List<Object> k = e.getKey();
      out.add(
          org.apache.spark.sql.RowFactory.create(
              k.get(0),
              k.get(1),
              k.get(2),
              k.get(3),
              n,
              enough && !Double.isNaN(r) ? r : null,
              lo,
              hi,
              enough && !Double.isNaN(rho) ? rho : null));
    }
    StructType schema =
        new StructType()
            .add("period", scorecard.schema().apply("period").dataType())
            .add("trust_metric", DataTypes.StringType)
            .add("uptake_metric", DataTypes.StringType)
            .add("country_group", DataTypes.StringType)
            .add("n", DataTypes.IntegerType)
            .add("pearson_r", DataTypes.DoubleType)
            .add("pearson_ci_low", DataTypes.DoubleType)
            .add("pearson_ci_high", DataTypes.DoubleType)
            .add("spearman_rho", DataTypes.DoubleType);
    return scorecard.sparkSession().createDataFrame(out, schema);
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static final java.util.Comparator<List<Object>> GROUP_ORDER =
      (a, b) -> {
        for (int i = 0; i < a.size(); i++) {
          int c = ((Comparable) a.get(i)).compareTo(b.get(i));
          if (c != 0) {
            return c;
          }
        }
        return 0;
      };

  private static List<Object> concat(List<Object> key, String group) {
    List<Object> k = new java.util.ArrayList<>(key);
    k.add(group);
    return k;
  }

  private static double atanh(double r) {
    return 0.5 * Math.log((1 + r) / (1 - r));
  }

  /**
   * Pearson's r over the pairs where both values are known, as SQL's {@code corr}: NaN when a
   * variance is zero, NaN when fewer than two pairs.
   */
  static double pearson(List<double[]> xy) {
    double n = 0;
    double mx = 0;
    double my = 0;
    for (double[] p : xy) {
      if (!Double.isNaN(p[0]) && !Double.isNaN(p[1])) {
        n++;
        mx += p[0];
        my += p[1];
      }
    }
    if (n < 2) {
      return Double.NaN;
    }
    mx /= n;
    my /= n;
    double sxy = 0;
    double sxx = 0;
    double syy = 0;
    for (double[] p : xy) {
      if (!Double.isNaN(p[0]) && !Double.isNaN(p[1])) {
        sxy += (p[0] - mx) * (p[1] - my);
        sxx += (p[0] - mx) * (p[0] - mx);
        syy += (p[1] - my) * (p[1] - my);
      }
    }
    return sxy / Math.sqrt(sxx * syy);
  }

  /** Each column replaced by its ranks, ties sharing the mean of the ranks they span. */
  static List<double[]> averageRanks(List<double[]> xy) {
    int n = xy.size();
    List<double[]> out = new java.util.ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(new double[2]);
    }
    for (int c = 0; c < 2; c++) {
      final int col = c;
      Integer[] order = new Integer[n];
      for (int i = 0; i < n; i++) {
        order[i] = i;
      }
      java.util.Arrays.sort(order, (a, b) -> Double.compare(xy.get(a)[col], xy.get(b)[col]));
      for (int i = 0; i < n; ) {
        int j = i;
        while (j + 1 < n && xy.get(order[j + 1])[col] == xy.get(order[i])[col]) {
          j++;
        }
        double rank = (i + 1 + j + 1) / 2.0;
        for (int t = i; t <= j; t++) {
          out.get(order[t])[col] = rank;
        }
        i = j + 1;
      }
    }
    return out;
  }

  /**
   * Per root model and period: derivatives, downloads of the root vs its derivatives.
   *
   * @param usage silver.usage_daily
   * @param models silver.models
   */
  public static Dataset<Row> modelReach(Dataset<Row> usage, Dataset<Row> models) {
    String u = view(usage, "g_usage");
    String m = view(models, "g_models");
    return usage
        .sparkSession()
        .sql(
            "WITH d AS (SELECT year(date) AS period, root_model_id, model_id, country_iso3,"
                + " downloads FROM "
                + u
                + " WHERE open_weights AND downloads > 0),"
                + " roots AS (SELECT DISTINCT root_model_id, root_developer, origin_iso3 FROM "
                + m
                + "),"
                + " agg AS (SELECT period, root_model_id,"
                + exactSum(
                    "CASE WHEN model_id IN (root_model_id, '(suppressed root)') THEN downloads"
                        + " ELSE 0 END")
                + " AS root_downloads, "
                + exactSum(
                    "CASE WHEN model_id NOT IN (root_model_id, '(suppressed root)') THEN downloads"
                        + " ELSE 0 END")
                + " AS derivative_downloads,"
                + " CAST(count(DISTINCT country_iso3) AS INT) AS countries_reached FROM d"
                + " GROUP BY period, root_model_id),"
                + " derivs AS (SELECT a.period, a.root_model_id, CAST(count(DISTINCT m.model_id) AS INT) AS n"
                + " FROM agg a LEFT JOIN "
                + m
                + " m ON m.root_model_id = a.root_model_id AND"
                + " m.model_id <> m.root_model_id AND (m.release_date IS NULL OR year(m.release_date)"
                + " <= a.period) GROUP BY a.period, a.root_model_id)"
                + " SELECT a.root_model_id, a.period, r.root_developer AS developer, r.origin_iso3,"
                + " coalesce(d.n, 0) AS derivative_count, a.root_downloads, a.derivative_downloads,"
                + " CASE WHEN a.root_downloads > 0 THEN a.derivative_downloads / a.root_downloads END"
                + " AS derivative_multiplier, a.countries_reached"
                + " FROM agg a LEFT JOIN roots r USING (root_model_id) LEFT JOIN derivs d USING"
                + " (period, root_model_id)");
  }
}
