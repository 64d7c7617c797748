package org.trustatlas.bronze;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.trustatlas.config.ConfigException;
import org.trustatlas.config.Suggest;
import org.trustatlas.reference.CountryResolver;

/**
 * A survey or adoption source's {@code source.yaml}: what the file is and how to read it. Every
 * error names the descriptor file and the key at fault, with the fix (exit code 2).
 *
 * @param file descriptor location, for messages
 */
public record SourceDescriptor(
    String file,
    String source,
    String publisher,
    String title,
    String wave,
    LocalDate fieldworkStart,
    LocalDate fieldworkEnd,
    String mode,
    String licence,
    boolean redistributable,
    String citationUrl,
    String republishes,
    String dataFile,
    char delimiter,
    String encoding,
    int headerRow,
    String commentPrefix,
    String layout,
    String countryColumn,
    Map<String, String> pins,
    String scale,
    boolean decimalComma,
    Integer nPerCountry,
    String nColumn,
    Map<String, Integer> nByCountry,
    Integer nOverall,
    Double moeOverall,
    String moeColumn,
    List<MetricMapping> metrics,
    String questionColumn,
    String valueColumn,
    String answerColumn,
    Map<String, String> answers,
    List<String> ignoreColumns) {

  /** Maps a column (wide) or a printed question (long, crosstab) to a canonical metric. */
  public record MetricMapping(String column, String question, String metric, String answer) {}

  static final Set<String> MODES =
      Set.of("online_panel", "probability_sample", "telemetry", "mixed");
  static final Set<String> LAYOUTS = Set.of("wide", "long", "crosstab");
  private static final Set<String> TOP =
      Set.of(
          "source",
          "publisher",
          "title",
          "wave",
          "fieldwork_start",
          "fieldwork_end",
          "mode",
          "licence",
          "redistributable",
          "citation_url",
          "republishes",
          "notes",
          "file",
          "format",
          "layout",
          "country",
          "values",
          "sample_size",
          "margin_of_error",
          "metrics",
          "long",
          "crosstab",
          "period");
  private static final Set<String> FORMAT =
      Set.of("delimiter", "encoding", "header_row", "comment_prefix");
  private static final Set<String> COUNTRY = Set.of("column", "pins");
  private static final Set<String> VALUES = Set.of("scale", "decimal_comma");
  private static final Set<String> SAMPLE =
      Set.of("per_country", "column", "by_country", "overall");
  private static final Set<String> MOE = Set.of("overall", "column");
  private static final Set<String> METRIC = Set.of("column", "question", "metric", "answer");
  private static final Set<String> LONG =
      Set.of("question_column", "value_column", "answer_column", "answers");
  private static final Set<String> CROSSTAB =
      Set.of("question_column", "answer_column", "answers", "ignore_columns");
  private static final Set<String> ANSWERS = Set.of("agree", "neutral", "disagree");

  /** Parses and checks a descriptor's text. */
  public static SourceDescriptor parse(String file, String text) {
    JsonNode root;
    try {
      root = new ObjectMapper(new YAMLFactory()).readTree(text);
    } catch (IOException e) {
      throw new ConfigException(
          file + ": not valid YAML" + ConfigException.yamlProblem(e, "docs/source-descriptor.md"),
          e);
    }
    if (root == null || !root.isObject()) {
      throw new ConfigException(file + ": expected a YAML mapping (see docs/source-descriptor.md)");
    }
    P p = new P(file);
    p.keys("", root, TOP);
    String layout = p.oneOf(root, "layout", LAYOUTS, true);
    JsonNode format = p.section(root, "format", FORMAT);
    JsonNode country = p.section(root, "country", COUNTRY);
    JsonNode values = p.section(root, "values", VALUES);
    JsonNode sample = p.section(root, "sample_size", SAMPLE);
    JsonNode moe = p.section(root, "margin_of_error", MOE);
    JsonNode longSec = p.section(root, "long", LONG);
    JsonNode cross = p.section(root, "crosstab", CROSSTAB);

    String delimiter = p.text(format, "format.delimiter", "delimiter", ",");
    if (delimiter.equals("\\t") || delimiter.equals("tab")) {
      delimiter = "\t";
    }
    if (delimiter.length() != 1) {
      throw p.error("format.delimiter", "use a single character such as \",\", \";\" or \"\\t\"");
    }
    String encoding = p.text(format, "format.encoding", "encoding", "UTF-8");
    if (!java.nio.charset.Charset.isSupported(encoding)) {
      throw p.error(
          "format.encoding",
          "'"
              + encoding
              + "' is not a known charset; use UTF-8, ISO-8859-1, windows-1252 or x-MacRoman");
    }
    int headerRow = p.integer(format, "format.header_row", "header_row", 1);
    if (headerRow < 1) {
      throw p.error("format.header_row", "use the 1-based line number of the header");
    }
    String commentPrefix = p.text(format, "format.comment_prefix", "comment_prefix", "#");
    if (commentPrefix.isBlank()) {
      // Every line starts with "" (and stripped lines never start with blanks): it would skip
      // every data line and quarantine nothing.
      throw p.error(
          "format.comment_prefix",
          "'"
              + commentPrefix
              + "' would skip every line; omit the key to skip lines starting with \"#\" (the"
              + " default), or give the characters the file's comment lines start with");
    }

    JsonNode metricsNode = root.get("metrics");
    if (metricsNode == null || !metricsNode.isArray() || metricsNode.isEmpty()) {
      throw p.error(
          "metrics",
          "list at least one mapping, e.g. - {column: \"Trust AI\", metric: trust_in_ai}");
    }
    List<MetricMapping> metrics = new ArrayList<>();
    int i = 0;
    for (JsonNode m : metricsNode) {
      String at = "metrics[" + i++ + "]";
      if (!m.isObject()) {
        throw p.error(at, "each entry maps a column or question to a metric");
      }
      p.keys(at + ".", m, METRIC);
      String metric = p.text(m, at + ".metric", "metric", null);
      if (metric == null || !metric.matches("[a-z][a-z0-9_]*")) {
        throw p.error(at + ".metric", "use a snake_case canonical metric such as trust_in_ai");
      }
      String column = p.text(m, at + ".column", "column", null);
      String question = p.text(m, at + ".question", "question", null);
      if (layout.equals("wide") && column == null) {
        throw p.error(at + ".column", "a wide layout maps columns: add column: \"<header>\"");
      }
      if (!layout.equals("wide") && question == null) {
        throw p.error(
            at + ".question",
            "a " + layout + " layout maps printed questions: add question: \"<text>\"");
      }
      String answer = p.text(m, at + ".answer", "answer", "agree");
      if (!ANSWERS.contains(answer)) {
        throw p.error(at + ".answer", "use agree, neutral or disagree");
      }
      metrics.add(new MetricMapping(column, question, metric, answer));
    }

    String countryColumn = p.text(country, "country.column", "column", null);
    if (!layout.equals("crosstab") && countryColumn == null) {
      throw p.error("country.column", "name the column that holds the country");
    }
    Map<String, String> pins = new LinkedHashMap<>();
    JsonNode pinNode = country.path("pins");
    if (!pinNode.isMissingNode()) {
      if (!pinNode.isObject()) {
        throw p.error("country.pins", "map spellings to ISO3 codes, e.g. {Congo: COG}");
      }
      pinNode
          .fields()
          .forEachRemaining(
              e -> {
                String iso = e.getValue().asText();
                if (!iso.matches("[A-Z]{3}")) {
                  throw p.error(
                      "country.pins." + e.getKey(),
                      "pin to an ISO 3166-1 alpha-3 code such as COG");
                }
                CountryResolver resolver = CountryResolver.load(false);
                if (!resolver.isCountry(iso)) {
                  List<String> near = resolver.pinSuggestions(e.getKey(), iso);
                  throw p.error(
                      "country.pins." + e.getKey(),
                      iso
                          + " is no country code in reference/countries.csv"
                          + (near.isEmpty()
                              ? ""
                              : "; did you mean " + String.join(" or ", near) + "?")
                          + " Pin to the ISO 3166-1 alpha-3 code of the country the source means"
                          + " (bin/atlas countries resolve shows the codes)");
                }
                pins.put(e.getKey(), iso);
              });
    }

    JsonNode shape = layout.equals("long") ? longSec : cross;
    String prefix = layout.equals("long") ? "long." : "crosstab.";
    String questionColumn = null;
    String valueColumn = null;
    String answerColumn = null;
    Map<String, String> answers = new LinkedHashMap<>();
    List<String> ignore = new ArrayList<>();
    if (!layout.equals("wide")) {
      questionColumn = p.text(shape, prefix + "question_column", "question_column", null);
      if (questionColumn == null) {
        throw p.error(prefix + "question_column", "name the column that holds the question text");
      }
      if (layout.equals("long")) {
        valueColumn = p.text(shape, prefix + "value_column", "value_column", null);
        if (valueColumn == null) {
          throw p.error(prefix + "value_column", "name the column that holds the share");
        }
      }
      answerColumn = p.text(shape, prefix + "answer_column", "answer_column", null);
      JsonNode ans = shape.path("answers");
      if (!ans.isMissingNode()) {
        p.keys(prefix + "answers.", ans, ANSWERS);
        ans.fields()
            .forEachRemaining(
                e -> {
                  List<String> printed = new ArrayList<>();
                  if (e.getValue().isArray()) {
                    e.getValue().forEach(v -> printed.add(v.asText()));
                  } else {
                    printed.add(e.getValue().asText());
                  }
                  printed.forEach(t -> answers.put(t.strip().toLowerCase(Locale.ROOT), e.getKey()));
                });
      }
      if (answerColumn != null && answers.isEmpty()) {
        throw p.error(prefix + "answers", "map the printed answers to agree / neutral / disagree");
      }
      JsonNode ig = shape.path("ignore_columns");
      if (ig.isArray()) {
        ig.forEach(v -> ignore.add(v.asText()));
      }
    }

    String scale = p.oneOf(values, "values.scale", Set.of("percent", "fraction"), false);
    String mode = p.oneOf(root, "mode", MODES, true);
    LocalDate end = p.date(root, "fieldwork_end", true);
    LocalDate start = p.date(root, "fieldwork_start", false);
    if (start != null && start.isAfter(end)) {
      throw p.error("fieldwork_start", "is after fieldwork_end " + end);
    }
    Map<String, Integer> nBy = new LinkedHashMap<>();
    JsonNode by = sample.path("by_country");
    if (by.isObject()) {
      by.fields()
          .forEachRemaining(
              e -> {
                if (!e.getValue().canConvertToInt() || e.getValue().asInt() < 1) {
                  throw p.error(
                      "sample_size.by_country." + e.getKey(), "use a whole number of respondents");
                }
                nBy.put(e.getKey(), e.getValue().asInt());
              });
    }
    Integer perCountry = p.optInt(sample, "sample_size.per_country", "per_country");
    Integer overall = p.optInt(sample, "sample_size.overall", "overall");
    String nColumn = p.text(sample, "sample_size.column", "column", null);
    int nKinds =
        (perCountry != null ? 1 : 0)
            + (overall != null ? 1 : 0)
            + (nColumn != null ? 1 : 0)
            + (nBy.isEmpty() ? 0 : 1);
    if (nKinds > 1) {
      throw p.error("sample_size", "give only one of per_country, column, by_country, overall");
    }
    Double moeOverall = null;
    JsonNode mo = moe.get("overall");
    if (mo != null && !mo.isNull()) {
      if (!mo.isNumber() || mo.asDouble() <= 0 || mo.asDouble() > 50) {
        throw p.error("margin_of_error.overall", "use the published +/- points, e.g. 3.1");
      }
      moeOverall = mo.asDouble();
    }
    String dataFile = p.text(root, "file", "file", null);
    if (dataFile == null) {
      throw p.error("file", "name the data file next to the descriptor, e.g. file: data.csv");
    }
    String source = p.required(root, "source");
    if (!source.matches("[a-z][a-z0-9_]*")) {
      throw p.error("source", "use a snake_case series id such as ipsos_ai_monitor");
    }
    return new SourceDescriptor(
        file,
        source,
        p.required(root, "publisher"),
        p.required(root, "title"),
        p.required(root, "wave"),
        start,
        end,
        mode,
        p.required(root, "licence"),
        p.bool(root, "redistributable", false),
        p.required(root, "citation_url"),
        p.text(root, "republishes", "republishes", null),
        dataFile,
        delimiter.charAt(0),
        encoding,
        headerRow,
        commentPrefix,
        layout,
        countryColumn,
        Map.copyOf(pins),
        scale == null ? "percent" : scale,
        p.bool(values, "decimal_comma", false),
        perCountry,
        nColumn,
        Map.copyOf(nBy),
        overall,
        moeOverall,
        p.text(moe, "margin_of_error.column", "column", null),
        List.copyOf(metrics),
        questionColumn,
        valueColumn,
        answerColumn,
        Map.copyOf(answers),
        List.copyOf(ignore));
  }

  /** Calendar year the wave's fieldwork ended in: the period it belongs to. */
  public int period() {
    return fieldworkEnd.getYear();
  }

  /** Parsing helper that turns every problem into a message naming file and key. */
  private static final class P {
    private final String file;

    P(String file) {
      this.file = file;
    }

    ConfigException error(String key, String fix) {
      return new ConfigException(file + ": key '" + key + "': " + fix);
    }

    void keys(String prefix, JsonNode node, Set<String> allowed) {
      for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
        String k = it.next();
        if (!allowed.contains(k)) {
          String near = Suggest.closest(k, allowed);
          throw new ConfigException(
              file
                  + ": unknown key '"
                  + prefix
                  + k
                  + "'"
                  + (near == null ? "" : " — did you mean '" + prefix + near + "'?")
                  + " (see docs/source-descriptor.md)");
        }
      }
    }

    JsonNode section(JsonNode root, String key, Set<String> allowed) {
      JsonNode s = root.get(key);
      if (s == null || s.isNull()) {
        return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
      }
      if (!s.isObject()) {
        throw error(key, "must be a mapping of settings");
      }
      keys(key + ".", s, allowed);
      return s;
    }

    String required(JsonNode root, String key) {
      String v = text(root, key, key, null);
      if (v == null || v.isBlank()) {
        throw error(key, "is required");
      }
      return v;
    }

    String text(JsonNode node, String full, String key, String dflt) {
      JsonNode v = node.get(key);
      if (v == null || v.isNull()) {
        return dflt;
      }
      if (!v.isValueNode()) {
        throw error(full, "must be a single value");
      }
      return v.asText();
    }

    int integer(JsonNode node, String full, String key, int dflt) {
      Integer v = optInt(node, full, key);
      return v == null ? dflt : v;
    }

    Integer optInt(JsonNode node, String full, String key) {
      JsonNode v = node.get(key);
      if (v == null || v.isNull()) {
        return null;
      }
      if (!v.canConvertToInt() || !v.asText().matches("\\d+")) {
        throw error(full, "use a whole number, not '" + v.asText() + "'");
      }
      return v.asInt();
    }

    boolean bool(JsonNode node, String key, boolean dflt) {
      JsonNode v = node.get(key);
      if (v == null || v.isNull()) {
        return dflt;
      }
      String t = v.asText().toLowerCase(Locale.ROOT);
      if (!t.equals("true") && !t.equals("false")) {
        throw error(key, "use true or false");
      }
      return Boolean.parseBoolean(t);
    }

    String oneOf(JsonNode node, String full, Set<String> allowed, boolean required) {
      String key = full.contains(".") ? full.substring(full.lastIndexOf('.') + 1) : full;
      String v = text(node, full, key, null);
      if (v == null) {
        if (required) {
          throw error(full, "is required: one of " + new java.util.TreeSet<>(allowed));
        }
        return null;
      }
      if (!allowed.contains(v)) {
        throw error(full, "'" + v + "' is not one of " + new java.util.TreeSet<>(allowed));
      }
      return v;
    }

    LocalDate date(JsonNode node, String key, boolean required) {
      String v = text(node, key, key, null);
      if (v == null) {
        if (required) {
          throw error(key, "is required: an ISO date such as 2024-05-03");
        }
        return null;
      }
      try {
        return LocalDate.parse(v);
      } catch (DateTimeParseException e) {
        throw error(key, "'" + v + "' is not an ISO date (YYYY-MM-DD)");
      }
    }
  }
}
