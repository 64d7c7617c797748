package org.trustatlas.silver;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.StructType;

/**
 * Usage events to {@code silver.usage_daily} (SPEC "Downloads", privacy): labels every event with
 * the reason it cannot count (bad or future timestamp, duplicate request id, bot or CI client,
 * unknown model, unresolved country, failed request), suppresses (date, country, model) cells of
 * fewer than k distinct clients by pooling them per (date, country) into a {@code (suppressed)} row
 * (pools still under k are quarantined), then credits every event to its root model(s).
 */
public final class UsageTransform {
  private UsageTransform() {}

  private static String view(Dataset<Row> df, String prefix) {
    String name = prefix + "_" + Integer.toHexString(System.identityHashCode(df));
    df.createOrReplaceTempView(name);
    return name;
  }

  /**
   * Rows for usage_daily, and the count of events per (kind, event_date, status) — event_date is
   * the partition's date for an event without one — with the first location ({@code file:line}) as
   * a sample; status is used, used_pooled or the reason the event does not count. Both come from
   * small aggregates materialized once (local checkpoints, released by Spark's cleaner with the
   * frames).
   */
  public record Result(Dataset<Row> usage, Dataset<Row> statuses) {}

  /**
   * @param events kind, partition_date, file, line, request_id, ts, event_date, model_id,
   *     client_hash, country_iso3 (resolved or null), ua_class, tokens_in, tokens_out, ok (request
   *     succeeded)
   * @param models silver.models
   */
  public static Result build(Dataset<Row> events, Dataset<Row> models, int k) {
    SparkSession spark = events.sparkSession();
    // An event's position as one number (file ordinal << 33 | line; lines are below 2^33), so
    // "first copy" and "first location" are minimums of a long: hash aggregates, no sorting of
    // the events by strings.
    Dataset<Row> files = fileOrdinals(events);
    Dataset<Row> positioned =
        events
            .join(functions.broadcast(files), new String[] {"partition_date", "file"})
            .withColumn("pos", functions.expr("shiftleft(file_no, " + LINE_BITS + ") | line"))
            .drop("file_no");
    String e = view(positioned, "u_events");
    String m = view(models, "u_models");
    // Request ids seen more than once, with the position of their first copy: few rows,
    // materialized first so the events are joined to them without being shuffled or sorted.
    // Nearly every id is unique, so a map-side partial aggregate would only build (and spill) a
    // hash table as large as the input: the ids are shuffled as they are and counted once.
    Dataset<Row> repeated =
        spark
            .sql(
                "SELECT kind, request_id, min(pos) AS first_pos FROM (SELECT kind, request_id, pos"
                    + " FROM "
                    + e
                    + " WHERE request_id IS NOT NULL DISTRIBUTE BY kind, request_id)"
                    + " GROUP BY kind, request_id HAVING count(*) > 1")
            .localCheckpoint(true);
    long nRepeated = repeated.count();
    String f = view(repeated, "u_repeated");
    String hint = nRepeated <= BROADCAST_REPEATED_MAX ? "/*+ BROADCAST(f) */ " : "";
    // One pass over the events: label each (first copy of a request id wins), then sum them per
    // client and cell. Events that do not count keep only (kind, date, reason).
    Dataset<Row> perClient =
        spark
            .sql(
                "WITH known AS (SELECT DISTINCT model_id AS known_model FROM "
                    + m
                    + "),"
                    + " d AS (SELECT "
                    + hint
                    + "e.*, coalesce(e.pos <> f.first_pos, false) AS dup FROM "
                    + e
                    + " e LEFT JOIN "
                    + f
                    + " f ON e.kind = f.kind AND e.request_id = f.request_id),"
                    + " l AS (SELECT d.*, CASE"
                    + " WHEN ts IS NULL THEN 'bad_value'"
                    + " WHEN ts >= timestamp(date_add(partition_date, 2)) THEN 'future_timestamp'"
                    + " WHEN dup THEN 'duplicate'"
                    + " WHEN ua_class <> 'client' THEN 'bot'"
                    + " WHEN known.known_model IS NULL THEN 'unknown_model'"
                    + " WHEN country_iso3 IS NULL THEN 'unresolved_country'"
                    + " WHEN NOT ok THEN 'failed_request'"
                    + " ELSE 'ok' END AS pre FROM d LEFT JOIN known ON d.model_id = known.known_model),"
                    // An event without a date counts under its partition's date.
                    + " k AS (SELECT kind, coalesce(event_date, partition_date) AS event_date, pre,"
                    + " CASE WHEN pre = 'ok' THEN country_iso3 END AS country_iso3,"
                    + " CASE WHEN pre = 'ok' THEN model_id END AS model_id,"
                    // Clients as 64-bit hashes of their salted hash: a collision among a
                    // million clients has a chance of about 3e-8, and the keys stay narrow.
                    + " CASE WHEN pre = 'ok' AND client_hash IS NOT NULL THEN xxhash64(client_hash)"
                    + " END AS client_hash, tokens_in, tokens_out, pos FROM l"
                    // Most (client, cell) keys are seen once: shuffled as they are, as above.
                    + " DISTRIBUTE BY kind, event_date, country_iso3, model_id, client_hash)"
                    + " SELECT kind, event_date, pre, country_iso3, model_id, client_hash,"
                    + " count(*) AS n, sum(coalesce(tokens_in, 0)) AS tokens_in,"
                    + " sum(coalesce(tokens_out, 0)) AS tokens_out,"
                    // Locations are kept for the events that cannot count (quarantine samples).
                    + " min(CASE WHEN pre <> 'ok' THEN pos END) AS first"
                    + " FROM k GROUP BY 1, 2, 3, 4, 5, 6")
            // Materialized now: the queries below read it twice, and a persisted plan
            // was not matched inside the SQL views, which recomputed the events each time.
            .localCheckpoint(true);
    String g = view(perClient, "u_per_client");
    // Per cell (kind, date, reason, country, model): distinct clients, events and tokens, in one
    // aggregation of the per-client rows. Cells are few.
    Dataset<Row> cellAgg =
        spark
            .sql(
                "SELECT kind, event_date, pre, country_iso3, model_id,"
                    + " count(client_hash) AS clients, sum(n) AS n, sum(tokens_in) AS tokens_in,"
                    + " sum(tokens_out) AS tokens_out, min(first) AS first FROM "
                    + g
                    + " GROUP BY kind, event_date, pre, country_iso3, model_id")
            .localCheckpoint(true);
    String ca = view(cellAgg, "u_cell_agg");
    // Suppression: a cell needs k distinct clients; small cells pool per (kind, date, country),
    // and a pool needs k distinct clients across its cells. Only the per-client rows of small
    // cells are read for that (the small cells are broadcast).
    String pool =
        "SELECT /*+ BROADCAST(s) */ p.kind, p.event_date, p.country_iso3,"
            + " count(DISTINCT p.client_hash) >= "
            + k
            + " AS pool_big FROM "
            + g
            + " p LEFT SEMI JOIN (SELECT kind, event_date, country_iso3, model_id FROM "
            + ca
            + " WHERE pre = 'ok' AND clients < "
            + k
            + ") s ON p.kind = s.kind AND p.event_date = s.event_date"
            + " AND p.country_iso3 = s.country_iso3 AND p.model_id = s.model_id"
            + " WHERE p.pre = 'ok' GROUP BY p.kind, p.event_date, p.country_iso3";
    // Per cell and status (used, used_pooled, suppressed, or the reason an event does not
    // count): small, materialized once for the usage rows and the status counts.
    Dataset<Row> cells =
        spark
            .sql(
                "SELECT c.kind, c.event_date, c.country_iso3, c.model_id,"
                    + " CASE WHEN c.pre <> 'ok' THEN c.pre WHEN c.clients >= "
                    + k
                    + " THEN 'used' WHEN q.pool_big THEN 'used_pooled' ELSE 'suppressed' END"
                    + " AS status, c.n, c.tokens_in, c.tokens_out, c.first FROM "
                    + ca
                    + " c LEFT JOIN ("
                    + pool
                    + ") q ON c.kind = q.kind AND c.event_date = q.event_date"
                    + " AND c.country_iso3 = q.country_iso3")
            .localCheckpoint(true);
    String dv = view(cells, "u_decided");
    Dataset<Row> usage =
        spark.sql(
            "SELECT d.event_date AS date, d.country_iso3,"
                + " CASE WHEN d.status = 'used' THEN d.model_id"
                + " WHEN d.model_id = m.root_model_id THEN '(suppressed root)'"
                + " ELSE '(suppressed)' END AS model_id,"
                + " m.root_model_id, max(m.credit) AS credit, m.origin_iso3,"
                + " bool_and(m.open_weights) AS open_weights,"
                // Credited sums in exact decimals, then doubles: the same inputs give the same
                // bits whatever order Spark adds them in, so a re-run compares equal.
                + " CAST(sum(CASE WHEN d.kind = 'downloads' THEN d.n * CAST(m.credit AS DECIMAL(20, 18)) ELSE 0 END)"
                + " AS DOUBLE) AS downloads,"
                + " CAST(sum(CASE WHEN d.kind = 'api_requests' THEN d.n * CAST(m.credit AS DECIMAL(20, 18)) ELSE 0 END)"
                + " AS DOUBLE) AS requests,"
                + " CAST(sum(CAST(d.tokens_in AS DECIMAL(20, 0)) * CAST(m.credit AS DECIMAL(20, 18))) AS DOUBLE) AS tokens_in,"
                + " CAST(sum(CAST(d.tokens_out AS DECIMAL(20, 0)) * CAST(m.credit AS DECIMAL(20, 18))) AS DOUBLE)"
                + " AS tokens_out,"
                + " CAST(NULL AS BIGINT) AS active_users"
                + " FROM "
                + dv
                + " d JOIN "
                + m
                + " m ON d.model_id = m.model_id"
                + " WHERE d.status IN ('used', 'used_pooled')"
                + " GROUP BY 1, 2, 3, m.root_model_id, m.origin_iso3");
    String fl = view(files, "u_files");
    Dataset<Row> statuses =
        spark.sql(
            "SELECT s.kind, s.event_date, s.status, s.row_count,"
                + " fl.file || ':' || (s.first & "
                + ((1L << LINE_BITS) - 1)
                + ") AS location FROM (SELECT kind, event_date, status, sum(n) AS row_count,"
                + " min(first) AS first FROM "
                + dv
                + " GROUP BY kind, event_date, status) s LEFT JOIN "
                + fl
                + " fl ON fl.file_no = shiftright(s.first, "
                + LINE_BITS
                + ")");
    return new Result(usage, statuses);
  }

  /** Bits of an event position that hold its line; the file ordinal is above them. */
  static final int LINE_BITS = 33;

  /** Repeated request ids up to this many are broadcast to the events; more are shuffled. */
  static final long BROADCAST_REPEATED_MAX = 2_000_000;

  /** The events' files, numbered in (partition date, file) order: a few rows. */
  private static Dataset<Row> fileOrdinals(Dataset<Row> events) {
    List<Row> found =
        events
            .select("partition_date", "file")
            .distinct()
            .orderBy("partition_date", "file")
            .collectAsList();
    List<Row> numbered = new ArrayList<>();
    for (int i = 0; i < found.size(); i++) {
      numbered.add(RowFactory.create(found.get(i).getDate(0), found.get(i).getString(1), (long) i));
    }
    return events
        .sparkSession()
        .createDataFrame(
            numbered, StructType.fromDDL("partition_date DATE, file STRING, file_no BIGINT"));
  }
}
