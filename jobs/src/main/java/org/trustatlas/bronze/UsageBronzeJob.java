package org.trustatlas.bronze;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.not;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.StructType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.trustatlas.config.AtlasConfig;
import org.trustatlas.contract.TableSpec;
import org.trustatlas.contract.Tables;
import org.trustatlas.io.InputFiles;
import org.trustatlas.io.Quarantine;
import org.trustatlas.run.Concurrently;
import org.trustatlas.run.RunContext;
import org.trustatlas.run.Step;
import org.trustatlas.run.StepCount;
import org.trustatlas.sql.Sql;

/**
 * Lands the usage-log partitions of the run in bronze: typed, with file and line, and with client
 * IPs, user ids and user agents replaced by a salted hash and a user-agent class.
 */
public final class UsageBronzeJob implements Step {
  private static final Logger LOG = LoggerFactory.getLogger(UsageBronzeJob.class);
  public static final String STEP = "bronze.usage";
  public static final List<String> KINDS = List.of("downloads", "api_requests", "app_mau");
  private static final Pattern PARTITION = Pattern.compile("date=(\\d{4}-\\d{2}-\\d{2})");

  /** The fields of a download-log line, all read as strings (bench/run's floors read them too). */
  public static final StructType DOWNLOAD_JSON =
      StructType.fromDDL(
          "request_id STRING, ts STRING, model_id STRING, file STRING, client_ip STRING,"
              + " country_code STRING, user_agent STRING");

  static final StructType API_PARQUET =
      StructType.fromDDL(
          "request_id STRING, ts TIMESTAMP, user_id STRING, model_id STRING, country_code STRING,"
              + " tokens_in BIGINT, tokens_out BIGINT, status INT");
  static final StructType MAU_CSV =
      StructType.fromDDL("month STRING, app STRING, country STRING, monthly_active_users STRING");

  /** User agents of bots (case-insensitive substrings). */
  static final List<String> BOT_UA =
      List.of("python-requests", "curl/", "wget/", "go-http-client", "bot", "spider", "crawler");

  /** User agents of CI jobs (case-insensitive substrings). */
  static final List<String> CI_UA =
      List.of("github-actions", "gitlab-runner", "ci=true", "jenkins", "buildkite", "circleci");

  @Override
  public String name() {
    return STEP;
  }

  @Override
  public boolean compiles(RunContext ctx) {
    return inputBytes(ctx) >= org.trustatlas.io.SparkSessions.compileFromBytes(ctx.spark());
  }

  /** Bytes of the usage-log files of the run's partitions. */
  public static long inputBytes(RunContext ctx) {
    InputFiles files = new InputFiles(ctx.spark());
    Set<String> dates = new TreeSet<>();
    ctx.usagePartitions().forEach(d -> dates.add(d.toString()));
    long bytes = 0;
    for (String kind : KINDS) {
      for (String[] p : partitions(files, ctx.config().input(), kind)) {
        if (dates.contains(p[0])) {
          for (String f : files.files(p[1])) {
            bytes += files.size(f);
          }
        }
      }
    }
    return bytes;
  }

  /** Partition folders of a kind: date → path. */
  static List<String[]> partitions(InputFiles files, String input, String kind) {
    List<String[]> out = new ArrayList<>();
    for (String folder : files.folders(InputFiles.join(input, "logs/" + kind))) {
      partitionDate(name(folder)).ifPresent(d -> out.add(new String[] {d.toString(), folder}));
    }
    return out;
  }

  /** The date of a partition folder named {@code date=YYYY-MM-DD}, a real calendar date. */
  static java.util.Optional<LocalDate> partitionDate(String folderName) {
    Matcher m = PARTITION.matcher(folderName);
    try {
      return m.matches()
          ? java.util.Optional.of(LocalDate.parse(m.group(1)))
          : java.util.Optional.empty();
    } catch (java.time.format.DateTimeParseException e) { // date=2025-02-30
      return java.util.Optional.empty();
    }
  }

  private static String name(String path) {
    return path.substring(path.lastIndexOf('/') + 1);
  }

  /** A path under {@code logs/} that no landing reads: its kind (or "logs"), and why. */
  record Stray(String kind, String path, String detail) {}

  /**
   * Paths under {@code <input>/logs} that no landing reads, so that none is skipped silently: a
   * folder that is no log kind, a file outside a partition folder, a partition folder misnamed (or
   * of a date that does not exist), and a folder inside a partition. Hidden and {@code _}-prefixed
   * names ({@code _SUCCESS}), and notes beside the logs (README, *.md, *.txt), are no data.
   */
  static List<Stray> strays(InputFiles files, String input) {
    String logs = InputFiles.join(input, "logs");
    List<Stray> out = new ArrayList<>();
    for (String path : data(files.files(logs))) {
      out.add(
          new Stray(
              "logs",
              path,
              "a file directly in logs/ is not read: move it into"
                  + " logs/<kind>/date=YYYY-MM-DD/ (kinds: "
                  + String.join(", ", KINDS)
                  + ")"));
    }
    for (String folder : files.folders(logs)) {
      String kind = name(folder);
      if (!KINDS.contains(kind)) {
        String near = org.trustatlas.config.Suggest.closest(kind, KINDS);
        out.add(
            new Stray(
                "logs",
                folder,
                "logs/"
                    + kind
                    + "/ is not a log kind, so nothing in it"
                    + " is read: "
                    + (near == null ? "" : "did you mean logs/" + near + "/? ")
                    + "the kinds are "
                    + String.join(", ", KINDS)));
        continue;
      }
      for (String path : data(files.files(folder))) {
        out.add(
            new Stray(
                kind,
                path,
                "a file outside a date=YYYY-MM-DD partition folder is not"
                    + " read: move it into logs/"
                    + kind
                    + "/date=YYYY-MM-DD/"));
      }
      for (String partition : files.folders(folder)) {
        if (partitionDate(name(partition)).isEmpty()) {
          out.add(
              new Stray(
                  kind,
                  partition,
                  "folder "
                      + name(partition)
                      + " is not named"
                      + " date=YYYY-MM-DD with a real date, so nothing in it is read: rename it"
                      + likelyName(name(partition))
                          .map(n -> " " + n)
                          .orElse(" (e.g. date=2025-04-22)")));
          continue;
        }
        for (String nested : files.folders(partition)) {
          out.add(
              new Stray(
                  kind,
                  nested,
                  "a folder inside a partition folder is not read: move"
                      + " its files up into "
                      + name(partition)
                      + "/"));
        }
      }
    }
    return out;
  }

  /** {@code paths} but notes kept beside the logs (README, *.md, *.txt): they are no data. */
  private static List<String> data(List<String> paths) {
    return paths.stream()
        .filter(
            p -> {
              String n = name(p).toLowerCase(java.util.Locale.ROOT);
              return !(n.startsWith("readme") || n.endsWith(".md") || n.endsWith(".txt"));
            })
        .toList();
  }

  /** {@code date=YYYY-MM-DD} for a folder name that spells a date otherwise (dt=2025-4-22). */
  static java.util.Optional<String> likelyName(String folderName) {
    Matcher m =
        Pattern.compile("(?<!\\d)(\\d{4})[-_./]?(\\d{1,2})[-_./]?(\\d{1,2})(?!\\d)")
            .matcher(folderName);
    if (!m.find()) {
      return java.util.Optional.empty();
    }
    try {
      LocalDate d =
          LocalDate.of(
              Integer.parseInt(m.group(1)),
              Integer.parseInt(m.group(2)),
              Integer.parseInt(m.group(3)));
      return java.util.Optional.of("date=" + d);
    } catch (java.time.DateTimeException e) {
      return java.util.Optional.empty();
    }
  }

  /**
   * Usage-log partitions holding a file that no successful run has read: new dates, dates run
   * before a late file (or a log kind) arrived in them, which a run by date alone would never land,
   * and files re-delivered under the same name (modified after the start of the last successful run
   * that read them). Each kind is listed in one recursive listing (one paginated listing on S3).
   */
  public static List<LocalDate> pendingPartitions(SparkSession spark, AtlasConfig config) {
    InputFiles files = new InputFiles(spark);
    // Each file read by a successful run, with the start of the last such run (epoch ms).
    Map<String, Long> read = new java.util.HashMap<>();
    var wh = new org.trustatlas.io.Warehouse(spark, config.warehouse());
    if (wh.exists(Tables.RUNS)) {
      for (Row r :
          wh.read(Tables.RUNS)
              .where("status = 'success'")
              .select(functions.explode(col("input_files")).as("file"), col("started_at"))
              .groupBy("file")
              .agg(functions.max("started_at"))
              .collectAsList()) {
        read.put(r.getString(0), r.getTimestamp(1).getTime());
      }
    }
    Set<LocalDate> pending = new TreeSet<>();
    for (String kind : KINDS) {
      for (InputFiles.Listed file :
          files.filesUnder(InputFiles.join(config.input(), "logs/" + kind))) {
        String path = file.path();
        String parent = path.substring(0, path.lastIndexOf('/'));
        Long readAt = read.get(path);
        // Only files directly in a partition folder are landed (the others are strays).
        partitionDate(name(parent))
            .filter(d -> parent.substring(0, parent.lastIndexOf('/')).endsWith("/" + kind))
            .filter(d -> readAt == null || file.modified() > readAt)
            .ifPresent(pending::add);
      }
    }
    return List.copyOf(pending);
  }

  @Override
  public void run(RunContext ctx) {
    InputFiles files = new InputFiles(ctx.spark());
    reportStrays(ctx, files);
    Set<String> dates = new TreeSet<>();
    ctx.usagePartitions().forEach(d -> dates.add(d.toString()));
    if (dates.isEmpty()) {
      return;
    }
    String where =
        "partition_date IN ("
            + String.join(", ", dates.stream().map(d -> "DATE'" + d + "'").toList())
            + ")";
    Set<LocalDate> slices = new TreeSet<>(ctx.usagePartitions());
    Map<String, List<String[]>> parts = new LinkedHashMap<>();
    Map<String, List<String[]>> inputs = new LinkedHashMap<>();
    for (String kind : KINDS) {
      parts.put(
          kind,
          partitions(files, ctx.config().input(), kind).stream()
              .filter(p -> dates.contains(p[0]))
              .toList());
      List<String[]> in = new ArrayList<>();
      for (String[] p : parts.get(kind)) {
        for (String file : files.files(p[1])) {
          ctx.input(file);
          in.add(new String[] {p[0], file});
        }
      }
      inputs.put(kind, in);
    }
    // The kinds land at the same time, each to its own table: a gzip file is read by one task,
    // so a night's downloads alone would leave the other cores idle.
    Map<String, Landed> landed =
        Concurrently.apply(KINDS, kind -> landOrSalvage(ctx, kind, inputs.get(kind), where));
    for (String kind : KINDS) {
      Landed l = landed.get(kind);
      ctx.outputVersion(spec(kind).name(), l.version());
      // Each kind's rejected lines replace its quarantine rows of the partitions landed now.
      Quarantine.write(ctx, STEP + "." + kind, l.bad(), slices);
      ctx.count(new StepCount(STEP, kind, l.landed() + l.badLines(), l.landed(), l.badLines()));
      LOG.info(
          "  {}: {} row(s) landed from {} partition(s), {} quarantined",
          kind,
          l.landed(),
          parts.get(kind).size(),
          l.badLines());
    }
  }

  /**
   * Quarantines, under the run date, the paths under {@code logs/} that no landing reads, every run
   * while they are there: a misnamed partition folder would otherwise never land and never be
   * noticed.
   */
  private static void reportStrays(RunContext ctx, InputFiles files) {
    List<Stray> strays = strays(files, ctx.config().input());
    List<Row> rows = new ArrayList<>();
    for (Stray s : strays) {
      LOG.warn("{}: {}", s.path(), s.detail());
      rows.add(
          org.apache.spark.sql.RowFactory.create(
              s.kind(), s.path(), null, "unread_path", s.detail(), 0L));
    }
    Quarantine.write(ctx, STEP + ".paths", ctx.spark().createDataFrame(rows, Quarantine.ROWS));
  }

  /** Lands one kind; a gzip file cut short fails the whole Spark read: land again, salvaging. */
  private static Landed landOrSalvage(
      RunContext ctx, String kind, List<String[]> inputs, String where) {
    try {
      return land(ctx, kind, inputs, where, false);
    } catch (Exception e) { // SparkException is checked, though Scala code throws it undeclared
      if (!truncatedGzip(e)) {
        throw Concurrently.<RuntimeException>rethrow(e);
      }
      return land(ctx, kind, inputs, where, true);
    }
  }

  /** What landing one kind produced: bronze version and rows, and the rejected lines. */
  private record Landed(long version, long landed, long badLines, Dataset<Row> bad) {}

  /**
   * Lands the files of one kind: one pass writes the parsed lines; for downloads (text) a second
   * pass collects the lines that did not parse.
   */
  private static Landed land(
      RunContext ctx, String kind, List<String[]> inputs, String where, boolean salvage) {
    SparkSession spark = ctx.spark();
    TableSpec spec = spec(kind);
    // A file Spark cannot read at all would fail the whole landing, at every retry: reported and
    // left out instead.
    Dataset<Row> unreadable = Quarantine.empty(spark);
    long refusedLines = 0;
    List<String[]> canRead = new ArrayList<>();
    for (String[] in : inputs) {
      String why = unreadable(ctx, kind, in[1]);
      if (why != null) {
        LOG.warn("{}: {}", in[1], why);
        unreadable = unreadable.unionByName(fileRow(spark, kind, in, "unreadable_file", why, 0));
        continue;
      }
      String header = kind.equals("app_mau") ? MauHeader.mismatch(ctx, in[1]) : null;
      if (header != null) {
        // Every line of the file is data nobody can place: all are quarantined, in one row.
        long lines = MauHeader.nonBlankLines(ctx, in[1]);
        LOG.warn("{}: {}", in[1], header);
        unreadable =
            unreadable.unionByName(fileRow(spark, kind, in, "schema_mismatch", header, lines));
        refusedLines += lines;
        continue;
      }
      canRead.add(in);
    }
    inputs = canRead;
    if (inputs.isEmpty()) {
      var w = ctx.warehouse().replace(spec, spark.createDataFrame(List.of(), spec.schema()), where);
      return new Landed(w.version(), 0, refusedLines, unreadable);
    }
    Dataset<Row> all = null;
    List<String[]> truncated = new ArrayList<>();
    for (String[] in : inputs) {
      String file = in[1];
      String readable = salvage ? salvageIfTruncated(ctx, file) : file;
      if (!readable.equals(file)) {
        truncated.add(in);
      }
      Dataset<Row> one = read(ctx, kind, LocalDate.parse(in[0]), file, readable);
      all = all == null ? one : all.unionByName(one);
    }
    // Rejected lines are rare: the landing's own filter hands them to the driver as it drops them
    // (Spark cannot count them during a Delta write), up to a memory budget shared out among the
    // landing's tasks; past it, a second, narrow pass reads them again.
    RejectedLines rejected = null;
    if (kind.equals("downloads")) {
      InputFiles files = new InputFiles(spark);
      long bytes = 0;
      for (String[] in : inputs) {
        bytes += files.size(in[1]);
      }
      int spread = spreadOver(spark, inputs, bytes);
      all = downloads(spread > 0 ? all.repartition(spread, col("line")) : all, ctx.salt());
      // One task per file (JsonLines), or per spread partition.
      int tasks = spread > 0 ? spread : inputs.size();
      rejected = new RejectedLines(spark, rejectedLinesBudget(spark) / Math.max(1, tasks));
    }
    // API rows whose token counts do not read are landed (the request counts) with no tokens,
    // and noted: the same filter hands the notes (in _raw) to the driver as it keeps the rows.
    RejectedLines noted =
        kind.equals("api_requests")
            ? new RejectedLines(
                spark,
                rejectedLinesBudget(spark) / Math.max(1, spark.sparkContext().defaultParallelism()),
                true)
            : null;
    Dataset<Row> landed =
        all.where(
                rejected != null
                    // CASE, not OR: Spark promises to evaluate a branch only when it is taken.
                    ? functions.when(col("_ok"), lit(true)).otherwise(rejected.keep())
                    : noted != null
                        ? functions.when(col("_raw").isNull(), lit(true)).otherwise(noted.keep())
                        : col("_ok"))
            .drop("_ok", "_raw");
    // Non-empty input: the replace need not probe it for emptiness.
    var written = ctx.warehouse().replace(spec, landed, where, false);
    Dataset<Row> bad = Quarantine.empty(spark);
    long badLines = 0;
    if (rejected != null && rejected.complete()) {
      List<Row> lines = rejected.lines();
      bad = malformed(kind, spark.createDataFrame(lines, RejectedLines.SCHEMA));
      badLines = lines.size();
    } else if (rejected != null) {
      // Kept as a local checkpoint so counting and quarantining do not read again.
      bad =
          malformed(kind, all.where(not(col("_ok"))).selectExpr(RejectedLines.SCHEMA.fieldNames()))
              .localCheckpoint();
      badLines = bad.count();
    }
    if (noted != null) {
      bad =
          tokenNotes(
              kind,
              noted.complete()
                  ? spark.createDataFrame(noted.lines(), RejectedLines.SCHEMA)
                  : all.where(col("_raw").isNotNull())
                      .selectExpr(RejectedLines.SCHEMA.fieldNames())
                      .localCheckpoint());
    }
    for (String[] file : truncated) {
      bad =
          bad.unionByName(
              fileRow(
                  spark,
                  kind,
                  file,
                  "truncated_file",
                  "gzip stream ends early: its readable lines were landed, the rest is lost;"
                      + " re-deliver the file",
                  0));
    }
    return new Landed(
        written.version(), written.rows(), badLines + refusedLines, bad.unionByName(unreadable));
  }

  /**
   * The quarantine row of a whole file ({@code in}: its partition date and path) standing for
   * {@code rows} rows.
   */
  private static Dataset<Row> fileRow(
      SparkSession spark, String kind, String[] in, String reason, String detail, long rows) {
    return spark.createDataFrame(
        List.of(
            org.apache.spark.sql.RowFactory.create(
                kind, in[1], null, reason, detail, rows, java.sql.Date.valueOf(in[0]))),
        Quarantine.DATED_ROWS);
  }

  /** Compressed formats Hadoop has no codec for: their bytes would be read as lines of text. */
  private static final Set<String> UNREADABLE_EXTENSIONS =
      Set.of("xz", "lzma", "zip", "7z", "rar", "tar", "tgz", "br");

  /**
   * Why Spark cannot read {@code file} of {@code kind} at all, or null when it can: an API file
   * that is not Parquet, a text file in a compression this machine cannot decompress (zstd without
   * its native library, xz, zip). A gzip file cut short is readable in part and salvaged.
   */
  static String unreadable(RunContext ctx, String kind, String file) {
    var conf = ctx.spark().sparkContext().hadoopConfiguration();
    org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(file);
    String name = p.getName();
    String ext = name.substring(name.lastIndexOf('.') + 1).toLowerCase(java.util.Locale.ROOT);
    try {
      var fs = p.getFileSystem(conf);
      if (kind.equals("api_requests")) {
        long length = fs.getFileStatus(p).getLen();
        byte[] head = new byte[4];
        byte[] tail = new byte[4];
        if (length >= 12) {
          try (var in = fs.open(p)) {
            in.readFully(0, head);
            in.readFully(length - 4, tail);
          }
        }
        return java.util.Arrays.equals(head, PARQUET_MAGIC)
                && java.util.Arrays.equals(tail, PARQUET_MAGIC)
            ? null
            : "not a Parquet file (no PAR1 mark at its start and end; "
                + length
                + " bytes): re-deliver it as Parquet";
      }
      var codec = new org.apache.hadoop.io.compress.CompressionCodecFactory(conf).getCodec(p);
      if (codec == null) {
        return UNREADABLE_EXTENSIONS.contains(ext)
            ? "compressed as ." + ext + ", which cannot be read here: re-deliver it as .gz"
            : null;
      }
      if (codec instanceof org.apache.hadoop.io.compress.GzipCodec) {
        return null;
      }
      try (var in = codec.createInputStream(fs.open(p))) {
        in.read();
        return null;
      } catch (java.io.IOException | RuntimeException | LinkageError e) {
        return "cannot be decompressed here ("
            + e.getMessage()
            + "): re-deliver it as .gz (or plain text)";
      }
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  private static final byte[] PARQUET_MAGIC = {'P', 'A', 'R', '1'};

  /**
   * Notes on API rows landed without their token counts ({@code _raw}: which counts, as stored):
   * {@code bad_value} rows standing for no lost row, as the request itself counts.
   */
  private static Dataset<Row> tokenNotes(String kind, Dataset<Row> rows) {
    return rows.select(
        lit(kind).as("source"),
        functions.concat(col("file"), lit(":"), col("line").cast("string")).as("location"),
        col("_raw").as("raw"),
        lit("bad_value").as("reason"),
        functions
            .concat(
                col("_raw"),
                lit(
                    ": not a whole number of tokens from 0 to 2^63 - 1; the request is counted,"
                        + " without these tokens: re-deliver the file with integer counts"))
            .as("detail"),
        lit(0L).as("row_count"),
        col("partition_date").as("data_date"));
  }

  /** Quarantine rows of lines that are not a complete JSON object. */
  private static Dataset<Row> malformed(String kind, Dataset<Row> lines) {
    return lines.select(
        lit(kind).as("source"),
        functions.concat(col("file"), lit(":"), col("line").cast("string")).as("location"),
        redactPersonal(col("_raw")).as("raw"),
        lit("malformed_line").as("reason"),
        lit("not one complete JSON object with a request_id: a truncated, cut or joined line,"
                + " a key given twice (which value is meant is unknown), or no request_id key"
                + " (keys are read by their letters and digits, case ignored)")
            .as("detail"),
        lit(1L).as("row_count"),
        col("partition_date").as("data_date"));
  }

  /**
   * Bytes of rejected lines a landing hands to the driver ({@code spark.atlas.rejectedLinesBudget},
   * 64 MiB by default), shared out among its tasks; a landing with more reads them in a second
   * pass.
   */
  static long rejectedLinesBudget(SparkSession spark) {
    return Long.parseLong(
        spark.conf().get("spark.atlas.rejectedLinesBudget", String.valueOf(64L << 20)));
  }

  /**
   * A rejected line as kept in quarantine: the values of {@code client_ip}, {@code user_id} and
   * {@code user_agent} (even cut short) and anything shaped like an IPv4 address are replaced, so
   * no personal data passes bronze, not even through a malformed line.
   */
  static Column redactPersonal(Column raw) {
    Column fields =
        functions.regexp_replace(
            raw,
            "(\"(client_ip|user_id|user_agent)\"\\s*:\\s*)(\"([^\"\\\\]|\\\\.)*\"?|[^,}\\s]*)",
            "$1\"<redacted>\"");
    return functions.regexp_replace(
        fields, "(?<![0-9.])[0-9]{1,3}(\\.[0-9]{1,3}){3}(?![0-9.])", "<ip>");
  }

  /** True when {@code e} comes from reading a gzip stream that ends early. */
  static boolean truncatedGzip(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof java.io.EOFException || t instanceof java.util.zip.ZipException) {
        return true;
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return false;
  }

  static TableSpec spec(String kind) {
    return switch (kind) {
      case "downloads" -> Tables.DOWNLOAD_EVENTS;
      case "api_requests" -> Tables.API_REQUESTS;
      default -> Tables.APP_MAU;
    };
  }

  /**
   * One file's rows in the bronze shape plus {@code _ok} (the line parsed) and {@code _raw} (the
   * line as read, for quarantine).
   */
  private static Dataset<Row> read(
      RunContext ctx, String kind, LocalDate date, String file, String readable) {
    SparkSession spark = ctx.spark();
    String salt = ctx.salt();
    Column partitionDate = lit(java.sql.Date.valueOf(date)).as("partition_date");
    Column runId = lit(ctx.runId()).as("run_id");
    return switch (kind) {
      case "downloads" -> {
        // Each line numbered and parsed as from_json(value, DOWNLOAD_JSON) parses it, keys
        // matched loosely (requestId, Request_Id); blank lines are no data, as in app actives.
        Dataset<Row> parsed =
            spark
                .read()
                .format(JsonLines.FORMAT)
                .option("path", readable)
                .option("schema", DOWNLOAD_JSON.toDDL())
                .option("looseKeys", "true")
                .load()
                .where(not(col("blank")))
                .select(
                    col("line"), col("value").as("_raw"), col("j"), col("joined"), col("twice"));
        // A whole object on the line: '{' ... '}' around it (a cut line fails this). Trimming
        // only the lines that need it: trimming every line cost 8 % of the run's CPU, and 17 % of
        // the landing's when the trimmed line, used twice under an OR, was computed for every line
        // as a common subexpression; under CASE it is computed for the lines that need it.
        Column trimmed = expr("trim(BOTH ' \\t\\r\\f' FROM _raw)");
        Column whole =
            functions
                .when(col("_raw").startsWith("{").and(col("_raw").endsWith("}")), lit(true))
                .otherwise(trimmed.startsWith("{").and(trimmed.endsWith("}")));
        // One object, not two joined on the line, and no field given twice (JsonLines).
        Column ok =
            col("j")
                .isNotNull()
                .and(col("j.request_id").isNotNull())
                .and(whole)
                .and(not(col("joined")))
                .and(not(col("twice")));
        // Parsed only: the rest of the row is shaped by downloads(), after land() may have
        // spread the lines over the cores. The line as read is kept for the lines that failed.
        yield parsed.select(
            partitionDate,
            lit(file).as("file"),
            col("line"),
            col("j"),
            runId,
            ok.as("_ok"),
            functions.when(ok, lit(null)).otherwise(col("_raw")).as("_raw"));
      }
      case "api_requests" -> {
        // The file's own types, brought to the expected ones: writers differ (pandas stores
        // 64-bit integers), and Spark refuses to read a column as a type it is not stored as.
        Dataset<Row> raw = spark.read().parquet(readable);
        java.util.function.Function<String, Column> c = name -> apiColumn(raw.schema(), name);
        yield raw.select(
            partitionDate,
            lit(file).as("file"),
            // The row's position in its file, however Spark splits a large file among tasks.
            col("_metadata.row_index").plus(1).as("line"),
            c.apply("request_id").as("request_id"),
            plausible(c.apply("ts")).as("ts"),
            functions.to_date(plausible(c.apply("ts"))).as("event_date"),
            c.apply("model_id").as("model_id"),
            hash(salt, c.apply("user_id")).as("client_hash"),
            c.apply("country_code").as("country_code"),
            tokens(raw.schema(), "tokens_in").as("tokens_in"),
            tokens(raw.schema(), "tokens_out").as("tokens_out"),
            c.apply("status").as("status"),
            runId,
            lit(true).as("_ok"),
            tokenNote(raw.schema()).as("_raw"));
      }
      default -> {
        // Physical lines, numbered as the downloads' are (Spark's CSV reader skips blank lines,
        // which would shift every later line number), then parsed as CSV one by one: the header
        // (line 1) and blank lines are no data.
        Dataset<Row> lines =
            spark
                .read()
                .format(JsonLines.FORMAT)
                .option("path", readable)
                .option("schema", "unused STRING")
                .load()
                .where("line > 1 AND NOT blank");
        // The columns in the header's order (any order; checked before the landing).
        Column csv =
            functions.from_csv(
                col("value"),
                lit(MauHeader.schema(ctx, readable).toDDL()),
                java.util.Map.of("mode", "PERMISSIVE"));
        yield lines
            .select(col("line"), csv.as("c"))
            .select(
                partitionDate,
                lit(file).as("file"),
                col("line"),
                col("c.month").as("month"),
                col("c.app").as("app"),
                col("c.country").as("country"),
                col("c.monthly_active_users").as("monthly_active_users_raw"),
                runId,
                lit(true).as("_ok"),
                lit(null).cast("string").as("_raw"));
      }
    };
  }

  /** Parsed download lines in the bronze shape: timestamps, salted client hash, client class. */
  private static Dataset<Row> downloads(Dataset<Row> parsed, String salt) {
    return parsed.select(
        col("partition_date"),
        col("file"),
        col("line"),
        col("j.request_id").as("request_id"),
        eventTime(col("j.ts")).as("ts"),
        functions.to_date(eventTime(col("j.ts"))).as("event_date"),
        col("j.model_id").as("model_id"),
        col("j.file").as("file_name"),
        hash(salt, col("j.client_ip")).as("client_hash"),
        col("j.country_code").as("country_code"),
        uaClass(col("j.user_agent")).as("ua_class"),
        col("run_id"),
        col("_ok"),
        col("_raw"));
  }

  /** Compressed bytes of download files a spread task gets at least (16 MiB by default). */
  static final long SPREAD_BYTES_PER_TASK = 16L << 20;

  /**
   * Partitions to spread parsed download lines over, or 0 to leave them in their files' tasks. A
   * gzip file is read by one task, so a nightly of one date would land its downloads on one core:
   * when the files are fewer than the cores and large enough for compiled execution, the parsed
   * lines are shuffled (by line number, deterministic for retried tasks) over the cores, and
   * hashing, classifying and writing them run in parallel. On a large cluster the spread is capped
   * by bytes ({@code spark.atlas.spreadBytesPerTask}): one night's file over every core would write
   * hundreds of small files.
   */
  static int spreadOver(SparkSession spark, List<String[]> inputs, long bytes) {
    var conf = spark.conf();
    return spreadOver(
        spark.sparkContext().defaultParallelism(),
        inputs.size(),
        bytes,
        org.trustatlas.io.SparkSessions.compileFromBytes(spark),
        Long.parseLong(
            conf.get("spark.atlas.spreadBytesPerTask", String.valueOf(SPREAD_BYTES_PER_TASK))),
        Boolean.parseBoolean(conf.get("spark.atlas.spreadDownloads", "true")));
  }

  /** {@link #spreadOver(SparkSession, List, long)} with the session's settings given. */
  static int spreadOver(
      int cores, int files, long bytes, long compileFrom, long bytesPerTask, boolean enabled) {
    long byBytes = Math.max(1, (bytes + bytesPerTask - 1) / Math.max(1, bytesPerTask));
    int tasks = (int) Math.min(cores, byBytes);
    return enabled && bytes >= compileFrom && tasks > files ? tasks : 0;
  }

  /**
   * Column {@code name} of an API Parquet file as {@link #API_PARQUET} types it, from whatever the
   * file stores: integers of any width, a timestamp with or without time zone, or text (parsed; a
   * value that does not parse is null, like a bad value); null when the file has no such column.
   */
  static Column apiColumn(StructType stored, String name) {
    org.apache.spark.sql.types.DataType want = API_PARQUET.apply(name).dataType();
    String found = storedName(stored, name);
    if (found == null) {
      return lit(null).cast(want);
    }
    Column have = col(Sql.identifier(found));
    org.apache.spark.sql.types.DataType type = stored.apply(found).dataType();
    if (type.equals(want)) {
      return have;
    }
    if (want.equals(org.apache.spark.sql.types.DataTypes.TimestampType)
        && type.equals(org.apache.spark.sql.types.DataTypes.StringType)) {
      return eventTime(have);
    }
    if (want.equals(org.apache.spark.sql.types.DataTypes.TimestampType)
        && type instanceof org.apache.spark.sql.types.IntegralType) {
      // Epoch time, in the unit its size says: seconds, milliseconds, microseconds, nanoseconds.
      Column n = have.cast("bigint");
      Column size = functions.abs(n);
      return functions
          .when(
              size.geq(lit(100_000_000_000_000_000L)),
              functions.timestamp_micros(n.divide(1000).cast("bigint")))
          .when(size.geq(lit(100_000_000_000_000L)), functions.timestamp_micros(n))
          .when(size.geq(lit(100_000_000_000L)), functions.timestamp_millis(n))
          .otherwise(functions.timestamp_seconds(n));
    }
    return have.try_cast(want);
  }

  /**
   * An API file's token count {@code name} as a BIGINT, or null when it is absent or does not read
   * as a whole number from 0 to 2^63 - 1 (negative, fractional, text such as {@code 1,234}, or too
   * large).
   */
  static Column tokens(StructType stored, String name) {
    Column have = storedColumn(stored, name);
    Column n = apiColumn(stored, name);
    // A fractional count (12.7) would be cut to 12 by the cast: not a count.
    Column whole =
        have != null
                && stored.apply(storedName(stored, name)).dataType()
                    instanceof org.apache.spark.sql.types.FractionalType
            ? have.equalTo(functions.floor(have))
            : lit(true);
    return functions.when(n.geq(0).and(whole), n);
  }

  /** Which token counts of a row are stored but unread by {@link #tokens}, as stored; or null. */
  static Column tokenNote(StructType stored) {
    List<Column> notes = new ArrayList<>();
    for (String name : List.of("tokens_in", "tokens_out")) {
      Column have = storedColumn(stored, name);
      if (have != null) {
        notes.add(
            functions.when(
                have.isNotNull().and(tokens(stored, name).isNull()),
                functions.concat(lit(name + " '"), have.cast("string"), lit("'"))));
      }
    }
    // concat_ws skips nulls: "" when every count read.
    return notes.isEmpty()
        ? lit(null).cast("string")
        : functions.nullif(functions.concat_ws(", ", notes.toArray(Column[]::new)), lit(""));
  }

  /** The stored column matching {@code name} (case ignored), or null. */
  private static Column storedColumn(StructType stored, String name) {
    String found = storedName(stored, name);
    return found == null ? null : col(Sql.identifier(found));
  }

  private static String storedName(StructType stored, String name) {
    return java.util.Arrays.stream(stored.fieldNames())
        .filter(f -> f.equalsIgnoreCase(name))
        .findFirst()
        .orElse(null);
  }

  /** Events before this are placeholders (the epoch, 1900-01-01), not events. */
  static final java.time.Instant EARLIEST_EVENT = java.time.Instant.parse("2000-01-01T00:00:00Z");

  /** The last instant Spark's dates can hold: later "events" would not survive as dates. */
  static final java.time.Instant LATEST_EVENT =
      java.time.Instant.parse("9999-12-31T23:59:59.999999Z");

  /**
   * An event time as text: a date at least ({@code 2025} or {@code 2025-04} alone would read as the
   * 1st), parsed as {@code try_to_timestamp} parses it, and {@link #plausible}; else null.
   */
  static Column eventTime(Column text) {
    // RFC 3339 allows a lower-case t and z; upper-cased only when the text as it is fails.
    Column parsed =
        functions.coalesce(
            functions.try_to_timestamp(text), functions.try_to_timestamp(functions.upper(text)));
    return functions.when(functions.octet_length(text).geq(10), plausible(parsed));
  }

  /** {@code ts} when it lies in 2000 – 9999, else null (a bad timestamp). */
  static Column plausible(Column ts) {
    return functions.when(ts.geq(lit(EARLIEST_EVENT)).and(ts.leq(lit(LATEST_EVENT))), ts);
  }

  /**
   * A gzip file cut short (a crash while copying, a partial upload) makes Spark fail the whole job.
   * Such a file is checked by streaming it once; its readable lines are staged uncompressed under
   * the warehouse and landed from there, and the file is reported in quarantine.
   */
  static String salvageIfTruncated(RunContext ctx, String file) {
    if (!file.endsWith(".gz")) {
      return file;
    }
    var conf = ctx.spark().sparkContext().hadoopConfiguration();
    org.apache.hadoop.fs.Path src = new org.apache.hadoop.fs.Path(file);
    try {
      var fs = src.getFileSystem(conf);
      try (var in = new java.util.zip.GZIPInputStream(fs.open(src), 1 << 16)) {
        in.transferTo(java.io.OutputStream.nullOutputStream());
        return file;
      } catch (java.io.EOFException | java.util.zip.ZipException e) {
        String staged =
            ctx.warehouse().root()
                + "/_staging/"
                + ctx.runId()
                + "/"
                + Integer.toHexString(file.hashCode())
                + "-"
                + src.getName().replace(".gz", "");
        org.apache.hadoop.fs.Path dst = new org.apache.hadoop.fs.Path(staged);
        long bytes = 0;
        // The staged file first: a file cut inside its gzip header (or empty) has no readable
        // line, and is staged empty.
        try (var out = dst.getFileSystem(conf).create(dst, true)) {
          try (var in = new java.util.zip.GZIPInputStream(fs.open(src), 1 << 16)) {
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0; ) {
              out.write(buf, 0, n);
              bytes += n;
            }
          } catch (java.io.EOFException | java.util.zip.ZipException expected) {
            // everything readable has been copied
          }
        }
        LOG.warn(
            "{} is a truncated gzip file ({}); landing its {} readable bytes",
            file,
            e.getMessage(),
            bytes);
        return staged;
      }
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  private static Column hash(String salt, Column value) {
    return functions
        .when(value.isNull(), lit(null))
        .otherwise(functions.sha2(functions.concat(lit(salt), lit("|"), value), 256));
  }

  static Column uaClass(Column ua) {
    // Substring tests on the UTF-8 bytes: a regular expression would decode every user agent
    // into a Java string first.
    Column lower = functions.lower(ua);
    return functions
        .when(containsAny(lower, CI_UA), lit("ci"))
        // "bot" inside a phone's name (CUBOT) is no bot.
        .when(containsAny(lower, BOT_UA).and(not(lower.contains("cubot"))), lit("bot"))
        .otherwise(lit("client"));
  }

  private static Column containsAny(Column s, List<String> parts) {
    Column any = lit(false);
    for (String p : parts) {
      any = any.or(s.contains(p));
    }
    return any;
  }
}
