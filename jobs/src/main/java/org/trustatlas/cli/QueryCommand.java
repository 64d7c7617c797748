package org.trustatlas.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.spark.SparkThrowable;
import org.apache.spark.sql.AnalysisException;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.parser.ParseException;
import org.apache.spark.sql.catalyst.plans.logical.LogicalPlan;
import org.trustatlas.config.AtlasConfig;
import org.trustatlas.config.ConfigException;
import org.trustatlas.io.Warehouse;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** SQL over the warehouse tables by their SPEC names, printed as a table, CSV or JSON lines. */
@Command(
    name = "query",
    mixinStandardHelpOptions = true,
    description = {
      "Runs SQL over the warehouse tables by their SPEC names, e.g.",
      "  atlas query \"SELECT * FROM gold.country_scorecard ORDER BY trust_rank\"",
      "Time travel: --as-of VERSION|TIMESTAMP, or VERSION AS OF n in the SQL itself."
    })
final class QueryCommand implements Callable<Integer> {
  enum Format {
    table,
    csv,
    json
  }

  @Mixin CommonOptions common;

  @Parameters(index = "0", paramLabel = "SQL", description = "The query.")
  String sql;

  @Option(
      names = "--format",
      defaultValue = "table",
      description = "table, csv or json (one object per line). Default: ${DEFAULT-VALUE}.")
  Format format;

  @Option(
      names = "--as-of",
      paramLabel = "VERSION|TIMESTAMP",
      description =
          "Read every table as of a Delta version or a timestamp (e.g. 2025-06-01 12:00:00).")
  String asOf;

  @Option(
      names = "--limit",
      description =
          "Rows printed at most. Default: 1000 for a table (it says when more exist), every row"
              + " for csv and json (exports).")
  Integer limit;

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    AtlasConfig config = common.resolve();
    SparkSession spark = RunSupport.session(config);
    Warehouse wh = new Warehouse(spark, config.warehouse());
    Map<String, String> tables = org.trustatlas.io.TimeTravel.registerCatalog(wh, asOf);
    if (tables.isEmpty()) {
      throw new ConfigException(
          "no tables under "
              + config.warehouse()
              + (asOf == null ? "" : " as of " + asOf)
              + ": run `bin/atlas nightly` first or pass --warehouse");
    }
    refuseAnythingButReads(spark, tables);
    try {
      print(
          spec.commandLine().getOut(),
          spark.sql(sql),
          format,
          limit != null ? limit : format == Format.table ? TABLE_ROWS : Integer.MAX_VALUE);
    } catch (Exception e) {
      // A query that does not analyse, or fails on its data (1/0, a bad cast): the user's input.
      Throwable cause = userError(e);
      if (cause == null) {
        throw e;
      }
      throw new ConfigException(
          "query rejected: " + firstLines(cause) + " — tables available: " + tables.keySet(), e);
    }
    return AtlasCli.OK;
  }

  /**
   * Parses the statement and refuses, before Spark runs anything, one that is not a read: {@code
   * spark.sql} runs DELETE, INSERT, OPTIMIZE, SET … at once, without the warehouse lock or a run
   * record.
   */
  private void refuseAnythingButReads(SparkSession spark, Map<String, String> tables) {
    LogicalPlan plan;
    try {
      plan = spark.sessionState().sqlParser().parsePlan(sql);
    } catch (ParseException e) {
      throw new ConfigException(
          "query rejected: " + firstLines(e) + " — tables available: " + tables.keySet(), e);
    }
    ReadOnlyStatement.refusal(plan)
        .ifPresent(
            node -> {
              throw new ConfigException(
                  "atlas query only reads: '"
                      + abbreviate(sql)
                      + "' is not a query ("
                      + node
                      + ") and was not run. It runs SELECT/WITH/VALUES queries, DESCRIBE"
                      + " [HISTORY|DETAIL], SHOW and EXPLAIN; to export, use --format csv|json"
                      + " and redirect the output. To change tables use bin/atlas maintain"
                      + " (OPTIMIZE, VACUUM), a nightly run, or a notebook with write access to"
                      + " the warehouse");
            });
  }

  /** The exception in the chain that says the query itself is wrong, or null (I/O, a bug). */
  static Throwable userError(Throwable e) {
    for (Throwable c = e; c != null; c = c.getCause()) {
      if (c instanceof AnalysisException || c instanceof ParseException) {
        return c;
      }
      // SQLSTATE classes 21 (cardinality), 22 (data exception: 1/0, overflow, bad cast), 42
      if (c instanceof SparkThrowable t
          && t.getSqlState() != null
          && USER_SQL_STATES.contains(t.getSqlState().substring(0, 2))) {
        return c;
      }
    }
    return null;
  }

  private static final java.util.Set<String> USER_SQL_STATES = java.util.Set.of("21", "22", "42");

  /** The first non-blank line: a parse error's message starts with an empty line. */
  static String firstLines(Throwable e) {
    return String.valueOf(e.getMessage())
        .lines()
        .map(String::strip)
        .filter(l -> !l.isEmpty())
        .findFirst()
        .orElse(e.getClass().getSimpleName());
  }

  private static String abbreviate(String s) {
    String one = s.strip().replaceAll("\\s+", " ");
    return one.length() <= 60 ? one : one.substring(0, 59) + "…";
  }

  /** The rows, up to {@code limit}, a partition at a time: an export never sits whole in memory. */
  private static java.util.Iterator<Row> streamed(Dataset<Row> df, int limit) {
    return (limit == Integer.MAX_VALUE ? df : df.limit(limit)).toLocalIterator();
  }

  /** Rows a table prints unless --limit says otherwise. */
  static final int TABLE_ROWS = 1000;

  static void print(PrintWriter out, Dataset<Row> df, Format format, int limit) throws Exception {
    String[] cols = df.columns();
    ObjectMapper m = new ObjectMapper();
    switch (format) {
      case csv -> {
        out.println(
            String.join(",", java.util.Arrays.stream(cols).map(QueryCommand::csv).toList()));
        var it = streamed(df, limit);
        while (it.hasNext()) {
          Row r = it.next();
          StringBuilder b = new StringBuilder();
          for (int i = 0; i < cols.length; i++) {
            Object v = jsonValue(r.get(i));
            b.append(i == 0 ? "" : ",")
                .append(
                    v == null
                        ? ""
                        : csv(
                            v instanceof List || v instanceof Map
                                ? m.writeValueAsString(v)
                                : String.valueOf(v)));
          }
          out.println(b);
        }
      }
      case json -> {
        var it = streamed(df, limit);
        while (it.hasNext()) {
          Row r = it.next();
          Map<String, Object> o = new LinkedHashMap<>();
          for (int i = 0; i < cols.length; i++) {
            o.put(cols[i], jsonValue(r.get(i)));
          }
          out.println(m.writeValueAsString(o));
        }
      }
      default -> {
        // One row more than printed tells whether the table was cut.
        List<Row> rows = df.limit(limit == Integer.MAX_VALUE ? limit : limit + 1).collectAsList();
        boolean more = rows.size() > limit;
        if (more) {
          rows = rows.subList(0, limit);
        }
        int[] w = new int[cols.length];
        String[][] cells = new String[rows.size()][cols.length];
        for (int i = 0; i < cols.length; i++) {
          w[i] = cols[i].length();
        }
        for (int r = 0; r < rows.size(); r++) {
          for (int i = 0; i < cols.length; i++) {
            Object v = rows.get(r).get(i);
            String s = v == null ? "NULL" : v instanceof Double d ? fmt(d) : String.valueOf(v);
            cells[r][i] = s;
            w[i] = Math.min(60, Math.max(w[i], s.length()));
          }
        }
        out.println(line(cols, w));
        StringBuilder sep = new StringBuilder();
        for (int i = 0; i < cols.length; i++) {
          sep.append(i == 0 ? "" : "-+-").append("-".repeat(w[i]));
        }
        out.println(sep);
        for (String[] c : cells) {
          out.println(line(c, w));
        }
        out.println(
            "("
                + rows.size()
                + " row"
                + (rows.size() == 1 ? "" : "s")
                + (more
                    ? "; more exist: --limit N prints more, --format csv|json exports every row"
                    : "")
                + ")");
      }
    }
    out.flush();
  }

  /**
   * A value as JSON holds it: numbers and booleans as they are, arrays and maps as JSON arrays and
   * objects, structs as objects by field name, anything else (dates, times, text) as its text.
   */
  static Object jsonValue(Object v) {
    if (v == null || v instanceof Number || v instanceof Boolean || v instanceof String) {
      return v;
    }
    if (v instanceof scala.collection.Seq<?> seq) {
      List<Object> out = new java.util.ArrayList<>();
      scala.jdk.javaapi.CollectionConverters.asJava(seq).forEach(x -> out.add(jsonValue(x)));
      return out;
    }
    if (v instanceof scala.collection.Map<?, ?> map) {
      Map<String, Object> out = new LinkedHashMap<>();
      scala.jdk.javaapi.CollectionConverters.asJava(map)
          .forEach((k, x) -> out.put(String.valueOf(k), jsonValue(x)));
      return out;
    }
    if (v instanceof Row row && row.schema() != null) {
      Map<String, Object> out = new LinkedHashMap<>();
      String[] names = row.schema().fieldNames();
      for (int i = 0; i < names.length; i++) {
        out.put(names[i], jsonValue(row.get(i)));
      }
      return out;
    }
    if (v instanceof java.sql.Timestamp t) {
      return t.toInstant().toString();
    }
    return String.valueOf(v);
  }

  private static String fmt(double d) {
    return d == Math.rint(d) && Math.abs(d) < 1e15
        ? String.valueOf((long) d)
        : String.format(java.util.Locale.ROOT, "%.4f", d).replaceAll("0+$", "");
  }

  private static String line(String[] cells, int[] w) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < cells.length; i++) {
      String c = cells[i].length() > w[i] ? cells[i].substring(0, w[i] - 1) + "…" : cells[i];
      b.append(i == 0 ? "" : " | ").append(String.format("%-" + w[i] + "s", c));
    }
    return b.toString().stripTrailing();
  }

  private static String csv(String s) {
    return s.contains(",") || s.contains("\"") || s.contains("\n")
        ? "\"" + s.replace("\"", "\"\"") + "\""
        : s;
  }
}
