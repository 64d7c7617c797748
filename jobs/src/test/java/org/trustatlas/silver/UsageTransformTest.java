package org.trustatlas.silver;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Collectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.trustatlas.testing.SparkTestSession;

/**
 * The k-suppression of usage cells against a plain reference: distinct clients counted with {@code
 * count(DISTINCT …)} per cell and per pool. The transform marks clients in hash buckets and counts
 * exactly only the cells the buckets leave uncertain, so the events include cells built to defeat
 * the buckets: k clients in one bucket (used), and k - 1 clients with many events each (small).
 */
@ExtendWith(SparkTestSession.class)
class UsageTransformTest {
  static final int K = 10;
  static SparkSession spark;
  static Dataset<Row> events;
  static UsageTransform.Result result;

  @BeforeAll
  static void build() {
    spark = SparkTestSession.get();
    // Clients whose 64-bit hashes fall in one bucket: a cell of them has one bucket bit.
    List<String> oneBucket =
        spark
            .sql(
                "SELECT c FROM (SELECT concat('same-', id) AS c FROM range(200000))"
                    + " WHERE (xxhash64(c) & "
                    + (UsageTransform.clientBuckets(K) - 1)
                    + ") = 5 ORDER BY c LIMIT "
                    + K)
            .collectAsList()
            .stream()
            .map(r -> "'" + r.getString(0) + "'")
            .collect(Collectors.toList());
    assertThat(oneBucket).hasSize(K);
    String same = "array(" + String.join(", ", oneBucket) + ")";
    // Grid cells: 2 kinds x 2 dates x 4 countries x 5 models (m3 unknown); a cell has 0..15
    // clients with 1..3 events each, half of them shared with the country's other models, so
    // cells below, at and above k, and pools both ways.
    events =
        spark.sql(
            "WITH grid AS (SELECT kind, d, c, m, pmod(hash(kind, d, c, m), 16) AS clients"
                + " FROM VALUES ('downloads'), ('api_requests') AS k(kind)"
                + " CROSS JOIN VALUES (DATE'2025-04-19'), (DATE'2025-04-20') AS a(d)"
                + " CROSS JOIN VALUES ('AAA'), ('BBB'), ('CCC'), ('DDD') AS b(c)"
                + " CROSS JOIN VALUES ('m1'), ('m2'), ('m3'), ('m4'), ('m5') AS n(m)),"
                + " gridClients AS (SELECT kind, d, c, m, concat(c, '-', IF(pmod(i, 2) = 0, m, ''), '-', i) AS client,"
                + " 1 + pmod(i, 3) AS times FROM grid"
                + " LATERAL VIEW explode(sequence(0, clients)) t AS i WHERE i < clients),"
                // Country EEE: m1 has k clients in one bucket (used); m2 has k - 1 clients in
                // one bucket with 4 events each (small, and its pool is small too).
                + " special AS (SELECT 'downloads' AS kind, DATE'2025-04-20' AS d, 'EEE' AS c,"
                + " 'm1' AS m, client, 1 AS times FROM (SELECT explode("
                + same
                + ") AS client) UNION ALL SELECT 'downloads', DATE'2025-04-20', 'EEE', 'm2',"
                + " client, 4 FROM (SELECT explode(slice("
                + same
                + ", 1, "
                + (K - 1)
                + ")) AS client)"
                // Country FFF: m1 has k clients in one bucket under two spellings of the
                // country, so neither spelling alone has k (used: the exact count must see both).
                + " UNION ALL SELECT 'downloads', DATE'2025-04-19', 'FFF', 'm1', client, 2 FROM"
                + " (SELECT explode("
                + same
                + ") AS client)),"
                + " perEvent AS (SELECT kind, d, c, m, client, j FROM (SELECT * FROM gridClients"
                + " UNION ALL SELECT * FROM special) LATERAL VIEW explode(sequence(1, times)) t AS j)"
                + " SELECT kind, d AS partition_date, concat(kind, '-', d, '.log') AS file,"
                + " row_number() OVER (PARTITION BY kind, d ORDER BY c, m, client, j) AS line,"
                + " concat_ws('|', kind, d, c, m, client, j) AS request_id, timestamp(d) AS ts, d AS event_date, m AS model_id,"
                + " client AS client_hash, c AS country_iso3,"
                + " CASE WHEN c = 'FFF' THEN IF(array_position("
                + same
                + ", client) % 2 = 0, 'F1', 'F2') ELSE c END AS country_code,"
                + " 'client' AS ua_class,"
                + " CAST(NULL AS BIGINT) AS tokens_in, CAST(NULL AS BIGINT) AS tokens_out,"
                + " true AS ok FROM perEvent");
    events = events.localCheckpoint();
    Dataset<Row> models =
        spark.sql(
            "SELECT * FROM VALUES ('m1', 'm1', 1.0D, 'USA', true), ('m2', 'm2', 1.0D, 'CHN', true),"
                + " ('m4', 'm4', 1.0D, 'FRA', true), ('m5', 'm5', 1.0D, 'USA', true)"
                + " AS v(model_id, root_model_id, credit, origin_iso3, open_weights)");
    result = UsageTransform.build(events, models, K);
  }

  /** Per cell of known models: events, distinct clients, and the status a plain count gives. */
  private static Dataset<Row> reference() {
    events.createOrReplaceTempView("ut_events");
    return spark.sql(
        "WITH cells AS (SELECT kind, event_date, country_iso3, model_id, count(*) AS n,"
            + " count(DISTINCT client_hash) AS clients FROM ut_events"
            + " WHERE model_id <> 'm3' GROUP BY 1, 2, 3, 4),"
            + " pools AS (SELECT e.kind, e.event_date, e.country_iso3,"
            + " count(DISTINCT e.client_hash) AS clients FROM ut_events e JOIN cells s"
            + " ON e.kind = s.kind AND e.event_date = s.event_date"
            + " AND e.country_iso3 = s.country_iso3 AND e.model_id = s.model_id"
            + " WHERE s.clients < "
            + K
            + " GROUP BY 1, 2, 3)"
            + " SELECT c.kind, c.event_date, c.country_iso3, c.model_id, c.n, CASE"
            + " WHEN c.clients >= "
            + K
            + " THEN 'used' WHEN p.clients >= "
            + K
            + " THEN 'used_pooled' ELSE 'suppressed' END AS status FROM cells c"
            + " LEFT JOIN pools p ON c.kind = p.kind AND c.event_date = p.event_date"
            + " AND c.country_iso3 = p.country_iso3");
  }

  private static List<String> rendered(Dataset<Row> df) {
    return df.collectAsList().stream().map(Row::toString).sorted().toList();
  }

  @Test
  void statusCountsMatchAPlainDistinctCount() {
    Dataset<Row> expected =
        reference()
            .groupBy("kind", "event_date", "status")
            .agg(org.apache.spark.sql.functions.sum("n").as("row_count"))
            .unionByName(
                events
                    .where("model_id = 'm3'")
                    .groupBy("kind", "event_date")
                    .count()
                    .selectExpr(
                        "kind", "event_date", "'unknown_model' AS status", "count AS row_count"));
    List<String> want = rendered(expected);
    assertThat(rendered(result.statuses().select("kind", "event_date", "status", "row_count")))
        .isEqualTo(want);
    // The data covers every outcome, or the comparison would prove little.
    assertThat(String.join("\n", want)).contains("used_pooled", "suppressed", ",used,");
    // Unknown models are named, with their events, so the quarantine says what to add.
    assertThat(
            rendered(
                result
                    .statuses()
                    .where("status = 'unknown_model'")
                    .selectExpr("kind", "event_date", "model_ids", "top_ids")))
        .isEqualTo(
            rendered(
                events
                    .where("model_id = 'm3'")
                    .groupBy("kind", "event_date")
                    .count()
                    .selectExpr(
                        "kind",
                        "event_date",
                        "1L AS model_ids",
                        "array(concat(char(39), 'm3', char(39), ' (', count, ')')) AS top_ids")));
  }

  @Test
  void cellsTheBucketsCannotDecideAreCountedExactly() {
    List<String> eee =
        rendered(
            result
                .usage()
                .where("country_iso3 = 'EEE'")
                .selectExpr("date", "model_id", "CAST(downloads AS BIGINT) AS downloads"));
    // m1: k distinct clients in one bucket -> used; m2: k - 1 clients (36 events) -> suppressed,
    // alone in its pool, so no row.
    assertThat(eee).containsExactly("[2025-04-20,m1," + K + "]");
    // FFF m1: k clients in one bucket, half under each spelling of the country -> used.
    assertThat(
            rendered(
                result
                    .usage()
                    .where("country_iso3 = 'FFF'")
                    .selectExpr("date", "model_id", "CAST(downloads AS BIGINT) AS downloads")))
        .containsExactly("[2025-04-19,m1," + (2 * K) + "]");
  }

  @Test
  void usageRowsMatchTheReference() {
    Dataset<Row> expected =
        reference()
            .where("status IN ('used', 'used_pooled')")
            .groupBy(
                org.apache.spark.sql.functions.col("kind"),
                org.apache.spark.sql.functions.col("event_date").as("date"),
                org.apache.spark.sql.functions.col("country_iso3"),
                org.apache.spark.sql.functions.expr(
                    "CASE WHEN status = 'used' THEN model_id ELSE '(suppressed root)' END AS m"),
                org.apache.spark.sql.functions.col("model_id").as("root"))
            .agg(org.apache.spark.sql.functions.sum("n").as("n"))
            .groupBy("date", "country_iso3", "m", "root")
            .agg(
                org.apache.spark.sql.functions.expr(
                    "CAST(sum(CASE WHEN kind = 'downloads' THEN n ELSE 0 END) AS DOUBLE) AS d"),
                org.apache.spark.sql.functions.expr(
                    "CAST(sum(CASE WHEN kind = 'api_requests' THEN n ELSE 0 END) AS DOUBLE) AS r"));
    assertThat(
            rendered(
                result
                    .usage()
                    .select(
                        "date",
                        "country_iso3",
                        "model_id",
                        "root_model_id",
                        "downloads",
                        "requests")))
        .isEqualTo(rendered(expected));
  }

  @Test
  void laterCopiesOfARequestIdAreDuplicatesWhereverTheyAre() {
    // Copies across files of one day (a.log before b.log), across days, within one file; the
    // same id under the other kind is no copy, nor an empty id. Every event is otherwise usable.
    Dataset<Row> copies =
        spark.sql(
            "SELECT kind, partition_date, file, line, request_id, timestamp(partition_date) AS ts,"
                + " partition_date AS event_date, 'm1' AS model_id,"
                + " concat('client-', file, line) AS client_hash, 'AAA' AS country_iso3,"
                + " 'client' AS ua_class, CAST(NULL AS BIGINT) AS tokens_in,"
                + " CAST(NULL AS BIGINT) AS tokens_out, true AS ok FROM VALUES"
                + " ('downloads', DATE'2025-04-19', 'a.log', 5L, 'x'),"
                // An empty id identifies nothing: no copy of another empty id.
                + " ('api_requests', DATE'2025-04-19', 'e.log', 1L, ''),"
                + " ('api_requests', DATE'2025-04-19', 'e.log', 2L, ''),"
                + " ('downloads', DATE'2025-04-19', 'b.log', 1L, 'x'),"
                + " ('downloads', DATE'2025-04-20', 'c.log', 1L, 'x'),"
                + " ('downloads', DATE'2025-04-19', 'b.log', 2L, 'y'),"
                + " ('downloads', DATE'2025-04-19', 'a.log', 9L, 'y'),"
                + " ('downloads', DATE'2025-04-20', 'c.log', 3L, 'z'),"
                + " ('api_requests', DATE'2025-04-20', 'c.log', 3L, 'z'),"
                + " ('downloads', DATE'2025-04-19', 'a.log', 1L, 'w'),"
                + " ('downloads', DATE'2025-04-19', 'a.log', 2L, 'w')"
                + " AS v(kind, partition_date, file, line, request_id)"
                + " UNION ALL SELECT 'downloads', DATE'2025-04-19', 'b.log', 100 + id,"
                + " concat('u', id), DATE'2025-04-19', DATE'2025-04-19', 'm1',"
                + " concat('client-u', id), 'AAA', 'client', NULL, NULL, true FROM range(20)");
    copies.createOrReplaceTempView("ut_copies");
    Dataset<Row> models =
        spark.sql(
            "SELECT 'm1' AS model_id, 'm1' AS root_model_id, 1.0D AS credit,"
                + " 'USA' AS origin_iso3, true AS open_weights");
    List<String> got =
        rendered(
            UsageTransform.build(copies, models, K)
                .statuses()
                .where("status = 'duplicate'")
                .select("kind", "event_date", "status", "row_count", "location"));
    List<String> want =
        rendered(
            spark.sql(
                "SELECT kind, event_date, 'duplicate' AS status, count(*) AS row_count,"
                    + " min_by(file || ':' || line, struct(partition_date, file, line)) AS location"
                    + " FROM (SELECT *, row_number() OVER (PARTITION BY kind, request_id"
                    + " ORDER BY partition_date, file, line) AS copy FROM ut_copies"
                    + " WHERE request_id <> '')"
                    + " WHERE copy > 1 GROUP BY kind, event_date"));
    assertThat(got).isEqualTo(want);
    assertThat(got)
        .containsExactly(
            "[downloads,2025-04-19,duplicate,3,a.log:2]",
            "[downloads,2025-04-20,duplicate,1,c.log:1]");
  }

  @Test
  void aSpellingThatDoesNotResolveIsTheReasonBeforeAFailedRequest() {
    // Spellings 'ZZ' and none resolve to no country. Reasons in order: unknown model, unresolved
    // country,
    // failed request.
    Dataset<Row> evs =
        spark.sql(
            "SELECT kind, DATE'2025-04-19' AS partition_date, 'a.log' AS file, line,"
                + " concat('r', line) AS request_id, TIMESTAMP'2025-04-19 10:00:00' AS ts,"
                + " DATE'2025-04-19' AS event_date, model_id, concat('c', line) AS client_hash,"
                + " CASE WHEN code = 'AA' THEN 'AAA' END AS country_iso3, code AS country_code,"
                + " 'client' AS ua_class, CAST(NULL AS BIGINT) AS tokens_in,"
                + " CAST(NULL AS BIGINT) AS tokens_out, ok FROM VALUES"
                + " ('downloads', 1L, 'm1', 'ZZ', true), ('downloads', 2L, 'm9', 'ZZ', true),"
                + " ('api_requests', 3L, 'm1', 'ZZ', false), ('api_requests', 4L, 'm1', 'AA', false),"
                + " ('api_requests', 5L, 'm1', 'ZZ', true), ('api_requests', 6L, 'm1', NULL, false)"
                + " AS v(kind, line, model_id, code, ok)");
    Dataset<Row> models =
        spark.sql(
            "SELECT 'm1' AS model_id, 'm1' AS root_model_id, 1.0D AS credit,"
                + " 'USA' AS origin_iso3, true AS open_weights");
    assertThat(
            rendered(
                UsageTransform.build(evs, models, K)
                    .statuses()
                    .select("kind", "status", "row_count", "location")))
        .containsExactly(
            "[api_requests,failed_request,1,a.log:4]",
            "[api_requests,unresolved_country,3,a.log:3]",
            "[downloads,unknown_model,1,a.log:2]",
            "[downloads,unresolved_country,1,a.log:1]");
  }

  @Test
  void modelIdsSpeltAsTheHubAllowsCountForTheirModel() {
    // 12 clients of one model under five spellings, and one event of a model not in the registry.
    Dataset<Row> evs =
        spark.sql(
            "SELECT 'downloads' AS kind, DATE'2025-04-19' AS partition_date, 'a.log' AS file, id AS line,"
                + " concat('r', id) AS request_id, TIMESTAMP'2025-04-19 10:00:00' AS ts,"
                + " DATE'2025-04-19' AS event_date, CASE WHEN id = 13 THEN 'Org/M9' ELSE"
                + " element_at(array('org/M1', 'ORG/m1', 'https://huggingface.co/org/M1/tree/main',"
                + " 'org/M1@main', ' org/M1 '), CAST(pmod(id, 5) + 1 AS INT)) END AS model_id,"
                + " concat('c', id) AS client_hash, 'AAA' AS country_iso3, 'client' AS ua_class,"
                + " CAST(NULL AS BIGINT) AS tokens_in, CAST(NULL AS BIGINT) AS tokens_out,"
                + " true AS ok FROM range(1, 14)");
    Dataset<Row> models =
        spark.sql(
            "SELECT 'org/M1' AS model_id, 'org/M1' AS root_model_id, 1.0D AS credit,"
                + " 'USA' AS origin_iso3, true AS open_weights");
    UsageTransform.Result r = UsageTransform.build(evs, models, K);
    assertThat(rendered(r.usage().select("model_id", "root_model_id", "downloads")))
        .containsExactly("[org/M1,org/M1,12.0]");
    assertThat(rendered(r.statuses().select("status", "row_count", "top_ids")))
        .containsExactly("[unknown_model,1,ArraySeq('Org/M9' (1))]", "[used,12,null]");
  }
}
