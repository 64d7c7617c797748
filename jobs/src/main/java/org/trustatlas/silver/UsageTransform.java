package org.trustatlas.silver;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.StructType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.trustatlas.reference.ModelIds;

/**
 * Usage events to {@code silver.usage_daily} (SPEC "Downloads", privacy): labels every event with
 * the reason it cannot count (bad or future timestamp, duplicate request id, bot or CI client,
 * unknown model, unresolved country, failed request), suppresses (date, country, model) cells of
 * fewer than k distinct clients by pooling them per (date, country) into a {@code (suppressed)} row
 * (pools still under k are quarantined), then credits every event to its root model(s).
 */
public final class UsageTransform {
  private static final Logger LOG = LoggerFactory.getLogger(UsageTransform.class);

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
   *     succeeded), and optionally country_code (the spelling country_iso3 was resolved from; the
   *     code itself if absent)
   * @param models silver.models
   */
  public static Result build(Dataset<Row> events, Dataset<Row> models, int k) {
    Dataset<Row> coded =
        java.util.Arrays.asList(events.columns()).contains("country_code")
            ? events
            : events.withColumn("country_code", functions.col("country_iso3"));
    java.util.Map<String, String> countries = new java.util.HashMap<>();
    for (Row r : coded.select("country_code", "country_iso3").distinct().collectAsList()) {
      countries.put(r.getString(0), r.getString(1));
    }
    return build(coded.drop("country_iso3"), countries::get, models, k);
  }

  /**
   * @param sources the events as read: the columns above but country_iso3
   * @param countryOf a country spelling's ISO alpha-3 code, or null when it does not resolve: asked
   *     on the driver once per spelling found in the events' cells, so events are aggregated by
   *     spelling and never joined to their country one by one
   * @param models silver.models
   */
  public static Result build(
      Dataset<Row> sources,
      java.util.function.Function<String, String> countryOf,
      Dataset<Row> models,
      int k) {
    SparkSession spark = sources.sparkSession();
    String m = view(models, "u_models");
    // The events' files and model id spellings, and the registry's ids, from one query.
    Found found = found(sources, m);
    // An event's position as one number (file ordinal << 33 | line; lines are below 2^33), so
    // "first copy" and "first location" are minimums of a long: hash aggregates, no sorting of
    // the events by strings.
    String fl = view(found.files(), "u_files");
    String src = view(bySpelling(sources, found), "u_sources");
    String e = view(spark.sql(positioned("SELECT * FROM " + src, fl)), "u_events");
    // Request ids seen more than once, with the position of their first copy: few rows,
    // materialized first so the events are joined to them without being shuffled or sorted.
    // Nearly every id is unique, so a map-side partial aggregate would only build (and spill) a
    // hash table as large as the input: the ids are shuffled as they are and counted once. They
    // are shuffled and counted as 64-bit hashes of (kind, id) — an aggregate of longs is twice as
    // fast as one of strings — and only the events whose hash repeats are then grouped by their
    // ids, so a hash shared by different ids is no repeat.
    Dataset<Row> repeatedHashes =
        spark
            .sql(
                "SELECT h FROM (SELECT xxhash64(kind, request_id) AS h FROM "
                    + src
                    + " WHERE request_id <> '' DISTRIBUTE BY h) GROUP BY h HAVING count(*) > 1")
            .localCheckpoint(true);
    String rh = view(repeatedHashes, "u_repeated_hashes");
    Dataset<Row> repeated =
        spark
            .sql(
                "SELECT kind, request_id, min(pos) AS first_pos FROM ("
                    + positioned(
                        "SELECT "
                            + (repeatedHashes.count() <= BROADCAST_ROWS_MAX
                                ? "/*+ BROADCAST(h) */ "
                                : "")
                            + "s.* FROM "
                            + src
                            + " s LEFT SEMI JOIN "
                            + rh
                            + " h ON xxhash64(s.kind, s.request_id) = h.h"
                            + " WHERE s.request_id <> ''",
                        fl)
                    + ") p GROUP BY kind, request_id HAVING count(*) > 1")
            .localCheckpoint(true);
    long nRepeated = repeated.count();
    String f = view(repeated, "u_repeated");
    String hint = nRepeated <= BROADCAST_ROWS_MAX ? "/*+ BROADCAST(f) */ " : "";
    // Every event labelled (first copy of a request id wins) and reduced to its cell (kind, date,
    // reason, country spelling, model) and client. Events that do not count keep only (kind,
    // date, reason) — failed requests their country spelling too, which decides their reason.
    String labelled = view(spark.sql(labelSql(e, m, f, hint)), "u_labelled");
    // Per cell: events, tokens, the first location of events that cannot count, and which of
    // the buckets its clients' hashes fall in (a bit each). Clients in different
    // buckets are different clients, so a cell whose bits number k or more has k distinct
    // clients for certain. Cells are few: a hash aggregate that combines before it shuffles,
    // where counting distinct clients exactly would shuffle every (cell, client) pair.
    int buckets = clientBuckets(k);
    StringBuilder masks = new StringBuilder();
    StringBuilder bits = new StringBuilder("0");
    StringBuilder remasks = new StringBuilder();
    StringBuilder maskColumns = new StringBuilder();
    for (int i = 0; i < buckets / 64; i++) {
      masks.append(
          ", bit_or(CASE WHEN shiftright(client & "
              + (buckets - 1)
              + ", 6) = "
              + i
              + " THEN shiftleft(1L, CAST(client & 63 AS INT)) END) AS m"
              + i);
      bits.append(" + coalesce(bit_count(m").append(i).append("), 0)");
      remasks.append(", bit_or(m").append(i).append(") AS m").append(i);
      maskColumns.append(", m").append(i);
    }
    // Aggregated by the country as spelt in the events, then by country: the spellings are few,
    // so they are resolved after the aggregate, not joined to every event, and those of the
    // uncertain cells select their events from the sources (below).
    String cellAggBySpelling =
        view(
            spark
                .sql(
                    "SELECT kind, event_date, pre, model_id, country_code, count(*) AS n,"
                        + " sum(coalesce(tokens_in, 0)) AS tokens_in,"
                        + " sum(coalesce(tokens_out, 0)) AS tokens_out,"
                        // The first location, kept for the events that cannot count
                        // (quarantine samples): usable events too, whose spelling may not
                        // resolve.
                        + " min(pos) AS first"
                        + masks
                        + " FROM "
                        + labelled
                        + " GROUP BY kind, event_date, pre, model_id, country_code")
                .localCheckpoint(true),
            "u_cell_agg_spelling");
    // The spellings of the cells' countries, resolved on the driver: usable events and failed
    // requests whose spelling does not resolve are 'unresolved_country' (the reason that comes
    // before a failed request).
    List<Row> spelt = new ArrayList<>();
    for (Row r :
        spark
            .sql(
                "SELECT DISTINCT country_code FROM "
                    + cellAggBySpelling
                    + " WHERE pre IN ('ok', 'failed_request')")
            .collectAsList()) {
      spelt.add(RowFactory.create(r.getString(0), countryOf.apply(r.getString(0))));
    }
    String countries =
        view(
            spark.createDataFrame(
                spelt, StructType.fromDDL("country_code STRING, country_iso3 STRING")),
            "u_countries");
    String bySpelling =
        view(
            spark.sql(
                "SELECT kind, event_date, status AS pre,"
                    + " CASE WHEN status = 'ok' THEN country_iso3 END AS country_iso3,"
                    + " CASE WHEN status IN ('ok', 'unknown_model') THEN model_id END AS model_id,"
                    + " CASE WHEN status = 'ok' THEN country_code END AS country_code,"
                    + " n, tokens_in, tokens_out, CASE WHEN status <> 'ok' THEN first END AS first"
                    + maskColumns
                    + " FROM (SELECT /*+ BROADCAST(c) */ r.*, c.country_iso3,"
                    + " CASE WHEN r.pre IN ('ok', 'failed_request') AND c.country_iso3 IS NULL"
                    + " THEN 'unresolved_country' ELSE r.pre END AS status FROM "
                    + cellAggBySpelling
                    + " r LEFT JOIN "
                    + countries
                    + " c ON r.country_code <=> c.country_code)"),
            "u_cells_by_spelling");
    Dataset<Row> cellAgg =
        spark
            .sql(
                "SELECT kind, event_date, pre, country_iso3, model_id, sum(n) AS n,"
                    + " sum(tokens_in) AS tokens_in, sum(tokens_out) AS tokens_out,"
                    + " min(first) AS first"
                    + remasks
                    + " FROM "
                    + bySpelling
                    + " GROUP BY kind, event_date, pre, country_iso3, model_id")
            .selectExpr(
                "kind",
                "event_date",
                "pre",
                "country_iso3",
                "model_id",
                "n",
                "tokens_in",
                "tokens_out",
                "first",
                "pre = 'ok' AND " + bits + " >= " + k + " AS certain")
            .localCheckpoint(true);
    String ca = view(cellAgg, "u_cell_agg");
    // The cells left uncertain are small or close to k: their distinct clients are counted
    // exactly, from the events of those cells only.
    String uncertain =
        view(
            spark.sql(
                "SELECT kind, event_date, country_iso3, model_id FROM "
                    + ca
                    + " WHERE pre = 'ok' AND NOT certain"),
            "u_uncertain");
    Dataset<Row> spellings =
        spark
            .sql(
                "SELECT DISTINCT r.kind, r.event_date, r.country_code, r.model_id, r.country_iso3"
                    + " FROM "
                    + bySpelling
                    + " r LEFT SEMI JOIN "
                    + uncertain
                    + " u ON r.kind = u.kind AND r.event_date = u.event_date"
                    + " AND r.country_iso3 = u.country_iso3 AND r.model_id = u.model_id"
                    + " WHERE r.pre = 'ok'")
            .localCheckpoint(true);
    String us = view(spellings, "u_uncertain_spellings");
    // Only the events whose own columns (date, spelling, model) place them in an uncertain cell
    // are read on, straight from the sources (a broadcast semi-join before any other join);
    // labelled, they give the cells' distinct clients.
    String candidates =
        view(
            spark.sql(
                positioned(
                    "SELECT "
                        + (spellings.count() <= BROADCAST_ROWS_MAX ? "/*+ BROADCAST(u) */ " : "")
                        + "s.* FROM "
                        + src
                        + " s LEFT SEMI JOIN "
                        + us
                        + " u ON s.kind = u.kind"
                        + " AND coalesce(s.event_date, s.partition_date) = u.event_date"
                        + " AND s.country_code <=> u.country_code AND s.model_id = u.model_id",
                    fl)),
            "u_candidates");
    Dataset<Row> exact =
        spark
            .sql(
                "SELECT /*+ BROADCAST(u) */ DISTINCT l.kind, l.event_date, u.country_iso3,"
                    + " l.model_id, l.client FROM ("
                    + labelSql(candidates, m, f, hint)
                    + ") l JOIN "
                    + us
                    + " u ON l.kind = u.kind AND l.event_date = u.event_date"
                    + " AND l.country_code <=> u.country_code AND l.model_id = u.model_id"
                    + " WHERE l.pre = 'ok' AND l.client IS NOT NULL")
            .localCheckpoint(true);
    String x = view(exact, "u_exact");
    // Suppression: a cell needs k distinct clients; small cells pool per (kind, date, country),
    // and a pool needs k distinct clients across its cells.
    // The uncertain cells' exact client counts: read by the pools and by the statuses, so
    // materialized once.
    String small =
        view(
            spark
                .sql(
                    "SELECT u.kind, u.event_date, u.country_iso3, u.model_id,"
                        + " count(x.client) AS clients FROM "
                        + uncertain
                        + " u LEFT JOIN "
                        + x
                        + " x ON u.kind = x.kind AND u.event_date = x.event_date"
                        + " AND u.country_iso3 = x.country_iso3 AND u.model_id = x.model_id"
                        + " GROUP BY u.kind, u.event_date, u.country_iso3, u.model_id")
                .localCheckpoint(true),
            "u_small");
    String pool =
        "SELECT x.kind, x.event_date, x.country_iso3, count(DISTINCT x.client) >= "
            + k
            + " AS pool_big FROM "
            + x
            + " x LEFT SEMI JOIN (SELECT * FROM "
            + small
            + " WHERE clients < "
            + k
            + ") s ON x.kind = s.kind AND x.event_date = s.event_date"
            + " AND x.country_iso3 = s.country_iso3 AND x.model_id = s.model_id"
            + " GROUP BY x.kind, x.event_date, x.country_iso3";
    // Per cell and status (used, used_pooled, suppressed, or the reason an event does not
    // count): small, materialized once for the usage rows and the status counts.
    Dataset<Row> cells =
        spark
            .sql(
                "SELECT c.kind, c.event_date, c.country_iso3, c.model_id,"
                    + " CASE WHEN c.pre <> 'ok' THEN c.pre WHEN c.certain OR s.clients >= "
                    + k
                    + " THEN 'used' WHEN q.pool_big THEN 'used_pooled' ELSE 'suppressed' END"
                    + " AS status, c.n, c.tokens_in, c.tokens_out, c.first FROM "
                    + ca
                    + " c LEFT JOIN "
                    + small
                    + " s ON c.pre = 'ok' AND c.kind = s.kind AND c.event_date = s.event_date"
                    + " AND c.country_iso3 = s.country_iso3 AND c.model_id = s.model_id"
                    + " LEFT JOIN ("
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
    // Per status, with the first location; for unknown models, the ids most often seen (with
    // their events) and how many ids there were, so the quarantine says what to add or fix.
    Dataset<Row> statuses =
        spark.sql(
            "WITH m AS (SELECT kind, event_date, status, coalesce(model_id, '(none)') AS id,"
                + " sum(n) AS n FROM "
                + dv
                + " WHERE status = 'unknown_model' GROUP BY 1, 2, 3, 4),"
                + " ids AS (SELECT kind, event_date, status, count(*) AS model_ids,"
                + " transform(slice(sort_array(collect_list(named_struct('minus_n', -n, 'id',"
                + " id))), 1, 5), x -> concat(char(39), x.id, char(39), ' (', -x.minus_n, ')'))"
                + " AS top_ids FROM m GROUP BY 1, 2, 3)"
                + " SELECT s.kind, s.event_date, s.status, s.row_count,"
                + " fl.file || ':' || (s.first & "
                + ((1L << LINE_BITS) - 1)
                + ") AS location, ids.model_ids, ids.top_ids FROM (SELECT kind, event_date, status,"
                + " sum(n) AS row_count, min(first) AS first FROM "
                + dv
                + " GROUP BY kind, event_date, status) s LEFT JOIN "
                + fl
                + " fl ON fl.file_no = shiftright(s.first, "
                + LINE_BITS
                + ") LEFT JOIN ids ON s.kind = ids.kind AND s.event_date = ids.event_date"
                + " AND s.status = ids.status");
    return new Result(usage, statuses);
  }

  /**
   * Every event of view {@code e} labelled (first copy of a request id wins) and reduced to its
   * cell (kind, date, reason, country spelling, model) and client. Events that do not count keep
   * only (kind, date, reason), failed requests their country spelling too. Whether the spelling
   * resolves is decided per cell afterwards ('unresolved_country' comes before 'failed_request').
   */
  private static String labelSql(String e, String m, String f, String hint) {
    return "WITH known AS (SELECT DISTINCT model_id AS known_model FROM "
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
        + " WHEN NOT ok THEN 'failed_request'"
        + " ELSE 'ok' END AS pre FROM d LEFT JOIN known ON d.model_id = known.known_model)"
        // An event without a date counts under its partition's date.
        + " SELECT kind, coalesce(event_date, partition_date) AS event_date, pre,"
        // Unknown models keep their id: the quarantine names them.
        + " CASE WHEN pre IN ('ok', 'unknown_model') THEN model_id END AS model_id,"
        + " CASE WHEN pre IN ('ok', 'failed_request') THEN country_code END AS country_code,"
        // Clients as 64-bit hashes of their salted hash: a collision among a million clients has
        // a chance of about 3e-8, and the keys stay narrow.
        + " CASE WHEN pre = 'ok' AND client_hash IS NOT NULL THEN xxhash64(client_hash)"
        + " END AS client, tokens_in, tokens_out, pos FROM l";
  }

  /**
   * A query of the rows of query {@code rows} (events with partition_date, file and line) and their
   * position {@code pos}: file ordinal (from view {@code files}, broadcast) << 33 | line.
   */
  private static String positioned(String rows, String files) {
    return "SELECT /*+ BROADCAST(fl) */ r.*, shiftleft(fl.file_no, "
        + LINE_BITS
        + ") | r.line AS pos FROM ("
        + rows
        + ") r JOIN "
        + files
        + " fl ON r.partition_date = fl.partition_date AND r.file = fl.file";
  }

  /** Bits of an event position that hold its line; the file ordinal is above them. */
  static final int LINE_BITS = 33;

  /**
   * Buckets of client hashes a cell's clients are marked in: a power of two, at least 64 and 8 k
   * (128 for the default k = 10), at most 4096 (64 longs), so that a cell of a few times k clients
   * is nearly always certain. With more than 4096 / 8 = 512 as k, more cells are counted exactly.
   */
  static int clientBuckets(int k) {
    int buckets = 64;
    while (buckets < 8L * k && buckets < 4096) {
      buckets *= 2;
    }
    return buckets;
  }

  /**
   * Key tables (repeated request ids, uncertain cells) up to this many rows are broadcast to the
   * events; larger ones are shuffled.
   */
  static final long BROADCAST_ROWS_MAX = 2_000_000;

  /**
   * The events' files numbered in (partition date, file) order, their model ids as spelt, and the
   * ids silver.models knows.
   */
  private record Found(Dataset<Row> files, List<String> modelIds, List<String> known) {}

  /**
   * The events' files and model id spellings (one scan, two grouping sets) and the ids of view
   * {@code models} (silver.models): a few rows, collected by one query.
   */
  private static Found found(Dataset<Row> events, String models) {
    List<Row> files = new ArrayList<>();
    List<String> ids = new ArrayList<>();
    List<String> known = new ArrayList<>();
    for (Row r :
        events
            .sparkSession()
            .sql(
                "SELECT partition_date, file, model_id, grouping_id() AS g FROM "
                    + view(events, "u_found")
                    + " GROUP BY GROUPING SETS ((partition_date, file), (model_id))"
                    + " UNION ALL SELECT DISTINCT CAST(NULL AS DATE), CAST(NULL AS STRING),"
                    + " model_id, 2L FROM "
                    + models)
            .collectAsList()) {
      if (r.getLong(3) == 1L) {
        files.add(r);
      } else if (!r.isNullAt(2)) {
        (r.getLong(3) == 2L ? known : ids).add(r.getString(2));
      }
    }
    files.sort(
        java.util.Comparator.comparing((Row r) -> r.getDate(0))
            .thenComparing(
                r -> r.getString(1), java.util.Comparator.nullsFirst(String::compareTo)));
    List<Row> numbered = new ArrayList<>();
    for (int i = 0; i < files.size(); i++) {
      numbered.add(RowFactory.create(files.get(i).getDate(0), files.get(i).getString(1), (long) i));
    }
    return new Found(
        events
            .sparkSession()
            .createDataFrame(
                numbered, StructType.fromDDL("partition_date DATE, file STRING, file_no BIGINT")),
        ids,
        known);
  }

  /**
   * The events with their model ids as silver.models spells them ({@link ModelIds}: case, spaces, a
   * Hugging Face address, a revision): the other spellings found are replaced through a small
   * broadcast table. Ids that match nothing are kept as spelt (the quarantine names them); when
   * every id is spelt as the registry spells it, the events are returned as they are.
   */
  private static Dataset<Row> bySpelling(Dataset<Row> events, Found found) {
    ModelIds known = ModelIds.of(found.known());
    List<Row> aliases = new ArrayList<>();
    for (String s : found.modelIds()) {
      String id = known.canonical(s);
      if (id != null && !id.equals(s)) {
        aliases.add(RowFactory.create(s, id));
      }
    }
    if (aliases.isEmpty()) {
      return events;
    }
    LOG.info(
        "  model ids matched by their spelling: {}",
        aliases.stream()
                .limit(10)
                .map(r -> "'" + r.getString(0) + "' -> " + r.getString(1))
                .collect(java.util.stream.Collectors.joining(", "))
            + (aliases.size() > 10 ? " and " + (aliases.size() - 10) + " more" : ""));
    Dataset<Row> a =
        events
            .sparkSession()
            .createDataFrame(aliases, StructType.fromDDL("_spelling STRING, _model_id STRING"));
    return events
        .join(functions.broadcast(a), events.col("model_id").equalTo(a.col("_spelling")), "left")
        .withColumn("model_id", functions.coalesce(a.col("_model_id"), events.col("model_id")))
        .drop("_spelling", "_model_id");
  }
}
