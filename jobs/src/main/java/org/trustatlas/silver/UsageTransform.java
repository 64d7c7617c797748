package org.trustatlas.silver;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Usage events to {@code silver.usage_daily} (SPEC "Downloads", privacy): labels every event with
 * the reason it cannot count (bad or future timestamp, duplicate request id, bot or CI client,
 * unknown model, unresolved country, failed request), suppresses (date, country, model) cells of
 * fewer than k distinct clients by pooling them per (date, country) into a {@code (suppressed)} row
 * (pools still under k are quarantined), then credits every event to its root model(s).
 */
public final class UsageTransform {
  private UsageTransform() {}

  /** Rows for usage_daily and the labelled events (column {@code status}: used or a reason). */
  public record Result(Dataset<Row> usage, Dataset<Row> events) {}

  private static String view(Dataset<Row> df, String prefix) {
    String name = prefix + "_" + Integer.toHexString(System.identityHashCode(df));
    df.createOrReplaceTempView(name);
    return name;
  }

  /**
   * @param events kind, partition_date, file, line, request_id, ts, event_date, model_id,
   *     client_hash, country_iso3 (resolved or null), ua_class, requests, tokens_in, tokens_out, ok
   *     (request succeeded)
   * @param models silver.models
   */
  public static Result build(Dataset<Row> events, Dataset<Row> models, int k) {
    SparkSession spark = events.sparkSession();
    String e = view(events, "u_events");
    String m = view(models, "u_models");
    Dataset<Row> labelled =
        spark.sql(
            "WITH known AS (SELECT DISTINCT model_id AS known_model FROM "
                + m
                + "),"
                + " d AS (SELECT e.*, row_number() OVER (PARTITION BY kind, request_id ORDER BY"
                + " partition_date, file, line) AS copy FROM "
                + e
                + " e)"
                + " SELECT d.* EXCEPT (copy), CASE"
                + " WHEN ts IS NULL THEN 'bad_value'"
                + " WHEN ts >= timestamp(date_add(partition_date, 2)) THEN 'future_timestamp'"
                + " WHEN request_id IS NOT NULL AND copy > 1 THEN 'duplicate'"
                + " WHEN ua_class <> 'client' THEN 'bot'"
                + " WHEN k.known_model IS NULL THEN 'unknown_model'"
                + " WHEN country_iso3 IS NULL THEN 'unresolved_country'"
                + " WHEN NOT ok THEN 'failed_request'"
                + " ELSE 'ok' END AS pre FROM d LEFT JOIN known k ON d.model_id = k.known_model");
    String l = view(labelled, "u_labelled");
    // Suppression: a cell needs k distinct clients; small cells pool per (kind, date, country).
    Dataset<Row> decided =
        spark.sql(
            "WITH ok AS (SELECT * FROM "
                + l
                + " WHERE pre = 'ok'),"
                + " cell AS (SELECT kind, event_date, country_iso3, model_id,"
                + " count(DISTINCT client_hash) >= "
                + k
                + " AS big FROM ok"
                + " GROUP BY kind, event_date, country_iso3, model_id),"
                + " pooled AS (SELECT ok.*, c.big FROM ok JOIN cell c ON ok.kind = c.kind AND"
                + " ok.event_date = c.event_date AND ok.country_iso3 = c.country_iso3 AND ok.model_id ="
                + " c.model_id),"
                + " pool AS (SELECT kind, event_date, country_iso3,"
                + " count(DISTINCT client_hash) >= "
                + k
                + " AS pool_big FROM pooled WHERE NOT big"
                + " GROUP BY kind, event_date, country_iso3)"
                + " SELECT p.*, CASE WHEN p.big THEN 'used' WHEN q.pool_big THEN 'used_pooled'"
                + " ELSE 'suppressed' END AS status FROM pooled p LEFT JOIN pool q ON p.kind = q.kind"
                + " AND p.event_date = q.event_date AND p.country_iso3 = q.country_iso3"
                + " UNION ALL SELECT *, CAST(NULL AS BOOLEAN) AS big, pre AS status FROM "
                + l
                + " WHERE pre <> 'ok'");
    String dv = view(decided, "u_decided");
    Dataset<Row> usage =
        spark.sql(
            "SELECT d.event_date AS date, d.country_iso3,"
                + " CASE WHEN d.status = 'used' THEN d.model_id"
                + " WHEN d.model_id = m.root_model_id THEN '(suppressed root)'"
                + " ELSE '(suppressed)' END AS model_id,"
                + " m.root_model_id, max(m.credit) AS credit, m.origin_iso3,"
                + " bool_and(m.open_weights) AS open_weights,"
                + " sum(CASE WHEN d.kind = 'downloads' THEN m.credit ELSE 0 END) AS downloads,"
                + " sum(CASE WHEN d.kind = 'api_requests' THEN m.credit ELSE 0 END) AS requests,"
                + " sum(coalesce(d.tokens_in, 0) * m.credit) AS tokens_in,"
                + " sum(coalesce(d.tokens_out, 0) * m.credit) AS tokens_out,"
                + " CAST(NULL AS BIGINT) AS active_users"
                + " FROM "
                + dv
                + " d JOIN "
                + m
                + " m ON d.model_id = m.model_id"
                + " WHERE d.status IN ('used', 'used_pooled')"
                + " GROUP BY 1, 2, 3, m.root_model_id, m.origin_iso3");
    return new Result(usage, decided);
  }
}
