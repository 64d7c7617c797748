package org.trustatlas.gold;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Function;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.trustatlas.testing.SparkTestSession;

/**
 * Gold's numbers do not depend on the order its input rows arrive in: a sum of doubles does (0.1 +
 * 0.2 + 0.3 is 0.6000000000000001 one way and 0.6 the other), and the order of a table's rows is
 * not fixed (a rewritten file, another partitioning), so a re-run over the same silver rows must
 * still write the same bits. Each input is fed forwards and backwards, in one partition.
 */
@ExtendWith(SparkTestSession.class)
class GoldRowOrderTest {
  static SparkSession spark;

  /** Values whose sum of doubles changes with the order. */
  static final double[] V = {0.1, 0.2, 0.3, 1e-3, 7.7, 1e6 + 0.1};

  @BeforeAll
  static void start() {
    spark = SparkTestSession.get();
  }

  /** The rows of {@code f} over the input forwards and backwards, as sorted strings. */
  private static void assertSameBothWays(
      List<Row> rows, String ddl, Function<Dataset<Row>, Dataset<Row>> f) {
    StructType schema = StructType.fromDDL(ddl);
    List<Row> backwards = new ArrayList<>(rows);
    Collections.reverse(backwards);
    List<String> a = rendered(f.apply(spark.createDataFrame(rows, schema).coalesce(1)));
    List<String> b = rendered(f.apply(spark.createDataFrame(backwards, schema).coalesce(1)));
    assertThat(a).isNotEmpty();
    assertThat(b).isEqualTo(a);
  }

  private static List<String> rendered(Dataset<Row> df) {
    return df.collectAsList().stream().map(Row::toString).sorted().toList();
  }

  static final String USAGE =
      "date DATE, country_iso3 STRING, model_id STRING, root_model_id STRING, origin_iso3 STRING,"
          + " open_weights BOOLEAN, downloads DOUBLE, requests DOUBLE";

  private static List<Row> usage() {
    List<Row> rows = new ArrayList<>();
    String[][] models = {{"r1", "r1", "CHN"}, {"d1", "r1", "CHN"}, {"r2", "r2", "USA"}};
    for (int i = 0; i < V.length; i++) {
      String[] m = models[i % models.length];
      // Two rows a day: (downloads, requests) = (V[i], V[n-1-i]) and (V[i+1], V[i]).
      double[][] values = {{V[i], V[V.length - 1 - i]}, {V[(i + 1) % V.length], V[i]}};
      for (double[] v : values) {
        rows.add(
            RowFactory.create(
                java.sql.Date.valueOf("2025-04-" + (10 + i)),
                "AAA",
                m[0],
                m[1],
                m[2],
                true,
                v[0],
                v[1]));
      }
    }
    return rows;
  }

  @Test
  void usageSharesAndUptakeDoNotDependOnRowOrder() {
    Dataset<Row> countries =
        spark.sql("SELECT 'AAA' AS iso3, CAST(3000000 AS BIGINT) AS internet_users");
    assertSameBothWays(usage(), USAGE, GoldJob::originShares);
    assertSameBothWays(usage(), USAGE, u -> GoldJob.usageUptake(u, countries));
    assertSameBothWays(usage(), USAGE, GoldJob::usageByYear);
  }

  @Test
  void modelReachDoesNotDependOnRowOrder() {
    Dataset<Row> models =
        spark.sql(
            "SELECT * FROM VALUES ('r1', 'r1', 'dev', 'CHN', CAST(NULL AS DATE)),"
                + " ('d1', 'r1', 'dev', 'CHN', CAST(NULL AS DATE)),"
                + " ('r2', 'r2', 'dev2', 'USA', CAST(NULL AS DATE))"
                + " AS m(model_id, root_model_id, root_developer, origin_iso3, release_date)");
    assertSameBothWays(usage(), USAGE, u -> Scorecard.modelReach(u, models));
  }

  @Test
  void meansOverSourcesDoNotDependOnRowOrder() {
    List<Row> rows = new ArrayList<>();
    // Three sources of one country: 0.1, 0.2 and 0.3 (a larger value would absorb the difference).
    for (int i = 0; i < 3; i++) {
      rows.add(
          RowFactory.create(
              2025, "AAA", "t", V[i], V[i] / 2, V[i] * 2, "s" + i, "1", "CC-BY", true));
    }
    assertSameBothWays(
        rows,
        "as_of INT, country_iso3 STRING, metric STRING, value DOUBLE, ci_low DOUBLE,"
            + " ci_high DOUBLE, source STRING, wave STRING, licence STRING,"
            + " redistributable BOOLEAN",
        Scorecard::meanOverSources);
  }

  @Test
  void correlationsDoNotDependOnRowOrder() {
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      rows.add(
          RowFactory.create(
              2025, "t", "u", i % 2 == 0, V[i % V.length] * (i + 1), V[(i * 5) % V.length] + i));
    }
    assertSameBothWays(
        rows,
        "period INT, trust_metric STRING, uptake_metric STRING, developing BOOLEAN,"
            + " trust_value DOUBLE, uptake_value DOUBLE",
        Scorecard::correlations);
  }
}
