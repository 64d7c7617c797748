package org.trustatlas.reference;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.trustatlas.config.Suggest;
import org.trustatlas.reference.Resolution.Status;

/**
 * Resolves country spellings as SPEC.md defines: exact codes, then source pins, aggregates and
 * ambiguous names (never matched), then folded names and aliases, then a curated pattern list. No
 * fuzzy matching: "Niger" is never Nigeria, "Dominica" never the Dominican Republic.
 */
public final class CountryResolver {
  private static final Set<String> GREATER_CHINA = Set.of("HKG", "MAC", "TWN");
  private static final Pattern DIGITS = Pattern.compile("\\d{1,3}");
  private static final Pattern QUALIFIED = Pattern.compile("(.+?)\\s*\\(([^()]+)\\)");

  /**
   * A footnote mark after a name: superscript digits or letters ("Kenya¹"), a dagger, section or
   * asterisk sign ("Japan†"), or one letter or a number of one or two digits in parentheses or
   * brackets ("Chile (a)", "Peru [1]").
   */
  private static final Pattern FOOTNOTE =
      Pattern.compile(
          "(.+?)\\s*(?:[\\u00B9\\u00B2\\u00B3\\u2070-\\u209F\\u1D43-\\u1D61*\\u2020\\u2021\\u00A7\\u00B6#]+"
              + "|\\((?:\\p{L}|\\d{1,2})\\)|\\[(?:\\p{L}|\\d{1,2})\\])");

  /**
   * Words that make an unmatched label a statistic or a group of countries ("G7 average", "MENA
   * region", "GCC countries", "Developed markets avg"). Checked only after every country name
   * failed, so "Central African Republic" or "United Arab Emirates" are never taken.
   */
  private static final Set<String> AGGREGATE_WORDS =
      Set.of(
          "average",
          "avg",
          "mean",
          "median",
          "total",
          "region",
          "regions",
          "regional",
          "countries",
          "markets",
          "mkts",
          "economies",
          "nations",
          "bloc");

  /** Parenthesised words after a country name that do not change which country it is. */
  private static final Set<String> NEUTRAL_QUALIFIERS =
      Set.of("the", "mainland", "country", "nation");

  private final List<Country> countries;
  private final Map<String, String> byCode = new HashMap<>();
  private final Map<String, String> byNumeric = new HashMap<>();
  private final Map<String, String> byName = new HashMap<>();
  private final Map<String, String> aggregateExact = new HashMap<>();
  private final List<String> aggregatePrefixes = new ArrayList<>();
  private final List<Pattern> aggregatePatterns = new ArrayList<>();
  private final Map<String, String> ambiguous = new HashMap<>();
  private final Map<Pattern, String> patterns = new LinkedHashMap<>();
  private final boolean rollUpGreaterChina;

  /** One row of countries.csv. */
  public record Country(
      String iso3,
      String iso2,
      String numeric,
      String shortName,
      String formalName,
      String region,
      String incomeGroup,
      Long population,
      Integer populationYear,
      Long internetUsers,
      Integer internetUsersYear,
      String source) {}

  private CountryResolver(boolean rollUpGreaterChina) {
    this.rollUpGreaterChina = rollUpGreaterChina;
    this.countries = new ArrayList<>();
    for (Map<String, String> r : table("countries.csv")) {
      Country c =
          new Country(
              r.get("iso3"),
              blankToNull(r.get("iso2")),
              blankToNull(r.get("numeric")),
              r.get("short_name"),
              blankToNull(r.get("formal_name")),
              blankToNull(r.get("region")),
              blankToNull(r.get("income_group")),
              longOrNull(r.get("population")),
              intOrNull(r.get("population_year")),
              longOrNull(r.get("internet_users")),
              intOrNull(r.get("internet_users_year")),
              blankToNull(r.get("source")));
      countries.add(c);
      byCode.put(c.iso3().toUpperCase(Locale.ROOT), c.iso3());
      if (c.iso2() != null) {
        byCode.put(c.iso2().toUpperCase(Locale.ROOT), c.iso3());
      }
      if (c.numeric() != null) {
        byNumeric.put(String.valueOf(Integer.parseInt(c.numeric())), c.iso3());
      }
      putName(Folding.fold(c.shortName()), c.iso3(), "countries.csv");
      if (c.formalName() != null) {
        putName(Folding.fold(c.formalName()), c.iso3(), "countries.csv");
      }
    }
    for (Map<String, String> r : table("country_aliases.csv")) {
      putName(Folding.fold(r.get("alias")), r.get("iso3"), "country_aliases.csv");
    }
    for (Map<String, String> r : table("aggregates.csv")) {
      String p = r.get("pattern");
      int colon = p.indexOf(':');
      String kind = colon < 0 ? "exact" : p.substring(0, colon);
      String body = colon < 0 ? p : p.substring(colon + 1);
      switch (kind) {
        case "exact" -> aggregateExact.put(Folding.fold(body), r.get("kind"));
        case "prefix" -> aggregatePrefixes.add(Folding.fold(body));
        case "regex" -> aggregatePatterns.add(Pattern.compile(body));
        default -> throw new IllegalStateException("aggregates.csv: unknown pattern kind " + kind);
      }
    }
    for (Map<String, String> r : table("ambiguous.csv")) {
      ambiguous.put(Folding.fold(r.get("name")), r.get("candidates"));
    }
    if (CountryResolver.class.getResource("/reference/patterns.csv") != null) {
      for (Map<String, String> r : table("patterns.csv")) {
        patterns.put(Pattern.compile(r.get("regex")), r.get("iso3"));
      }
    }
  }

  private static final Map<Boolean, CountryResolver> CACHE =
      new java.util.concurrent.ConcurrentHashMap<>();

  /**
   * The resolver over the committed reference data; {@code rollUpGreaterChina} maps HKG/MAC/TWN to
   * CHN.
   */
  public static CountryResolver load(boolean rollUpGreaterChina) {
    return CACHE.computeIfAbsent(rollUpGreaterChina, CountryResolver::new);
  }

  public List<Country> countries() {
    return List.copyOf(countries);
  }

  /** Whether {@code iso3} is the alpha-3 code of a country in countries.csv (exact, upper case). */
  public boolean isCountry(String iso3) {
    return iso3 != null && iso3.equals(byCode.get(iso3));
  }

  /**
   * Codes a descriptor probably meant when it pinned {@code spelling} to {@code badCode}, which is
   * no country: the candidates of an ambiguous spelling ("Korea": KOR, PRK), the code the spelling
   * resolves to, else the nearest code by edit distance; empty when nothing is near.
   */
  public List<String> pinSuggestions(String spelling, String badCode) {
    Resolution r = resolveUnrolled(spelling, Map.of());
    if (r.status() == Status.AMBIGUOUS) {
      return List.of(r.via().substring("ambiguous:".length()).split("\\|"));
    }
    if (r.iso3() != null) {
      return List.of(r.iso3());
    }
    String near = Suggest.closest(badCode, countries.stream().map(Country::iso3).toList());
    return near == null ? List.of() : List.of(near);
  }

  /**
   * For fields that hold a code (geo-IP country codes in logs): only an exact upper-case alpha-2 or
   * alpha-3 code resolves; names, lower case and anything else are unresolved.
   */
  public Resolution resolveCode(String raw) {
    if (raw == null || !raw.strip().matches("[A-Z]{2,3}")) {
      return Resolution.of(Status.UNRESOLVED, "not_a_code");
    }
    String code = byCode.get(raw.strip());
    if (code == null) {
      return Resolution.of(Status.UNRESOLVED, "unknown_code");
    }
    if (rollUpGreaterChina && GREATER_CHINA.contains(code)) {
      return Resolution.resolved("CHN", "code+roll_up");
    }
    return Resolution.resolved(code, "code");
  }

  public Resolution resolve(String raw) {
    return resolve(raw, Map.of());
  }

  /**
   * Resolves {@code raw}; {@code pins} (spelling → ISO3) are the source descriptor's own decisions.
   */
  public Resolution resolve(String raw, Map<String, String> pins) {
    Resolution r = resolveUnrolled(raw, pins);
    if (rollUpGreaterChina && r.iso3() != null && GREATER_CHINA.contains(r.iso3())) {
      return Resolution.resolved("CHN", r.via() + "+roll_up");
    }
    return r;
  }

  private Resolution resolveUnrolled(String raw, Map<String, String> pins) {
    if (raw == null || raw.isBlank()) {
      return Resolution.of(Status.UNRESOLVED, "blank");
    }
    String t = raw.strip();
    // Codes match only as written in upper case: "and", "can", "per" are words, not codes.
    String code = byCode.get(t);
    if (code != null && t.matches("[A-Z]{2,3}")) {
      return Resolution.resolved(code, "code");
    }
    if (DIGITS.matcher(t).matches()) {
      String n = byNumeric.get(String.valueOf(Integer.parseInt(t)));
      return n == null
          ? Resolution.of(Status.UNRESOLVED, "numeric")
          : Resolution.resolved(n, "numeric");
    }
    String f = Folding.fold(t);
    if (f.isEmpty()) {
      return Resolution.of(Status.UNRESOLVED, "blank");
    }
    for (Map.Entry<String, String> p : pins.entrySet()) {
      if (Folding.fold(p.getKey()).equals(f)) {
        return Resolution.resolved(p.getValue(), "pin");
      }
    }
    if (aggregateExact.containsKey(f)) {
      return Resolution.of(Status.AGGREGATE, "aggregate:" + aggregateExact.get(f));
    }
    for (String prefix : aggregatePrefixes) {
      if (f.equals(prefix) || f.startsWith(prefix + " ")) {
        return Resolution.of(Status.AGGREGATE, "aggregate:prefix");
      }
    }
    for (Pattern p : aggregatePatterns) {
      if (p.matcher(f).matches()) {
        return Resolution.of(Status.AGGREGATE, "aggregate:regex");
      }
    }
    if (ambiguous.containsKey(f)) {
      return Resolution.of(Status.AMBIGUOUS, "ambiguous:" + ambiguous.get(f));
    }
    String n = byName.get(f);
    if (n != null) {
      return Resolution.resolved(n, "name");
    }
    for (Map.Entry<Pattern, String> p : patterns.entrySet()) {
      if (p.getKey().matcher(f).matches()) {
        return Resolution.resolved(p.getValue(), "pattern");
      }
    }
    // Past here no country name matched, so the general rules below cannot take a real country.
    Resolution qualified = qualified(t, pins);
    if (qualified != null) {
      return qualified;
    }
    // A footnote mark that folding keeps ("Kenya¹" folds to "kenya1") or reads as a qualifier.
    java.util.regex.Matcher note = FOOTNOTE.matcher(t);
    if (note.matches()) {
      Resolution name = resolveUnrolled(note.group(1), pins);
      if (name.status() == Status.RESOLVED) {
        return Resolution.resolved(name.iso3(), name.via() + "+footnote");
      }
      if (name.status() == Status.AGGREGATE) {
        return name;
      }
    }
    for (String word : f.split(" ")) {
      if (AGGREGATE_WORDS.contains(word)) {
        return Resolution.of(Status.AGGREGATE, "aggregate:word");
      }
    }
    String[] parts = f.split(" and ");
    if (parts.length > 1
        && java.util.Arrays.stream(parts)
            .allMatch(part -> resolveUnrolled(part, Map.of()).status() == Status.AGGREGATE)) {
      return Resolution.of(Status.AGGREGATE, "aggregate:parts");
    }
    return Resolution.of(Status.UNRESOLVED, "no_match");
  }

  /**
   * "Name (qualifier)": an aggregate when the name is one ("Asia Pacific (APAC)"); the country when
   * the name resolves and the qualifier does not change which country is meant ("Netherlands
   * (the)", "China (mainland)", "Türkiye (Turkey)"). "Sudan (former)", "Georgia (US state)" stay
   * unresolved. Null when the rule does not apply.
   */
  private Resolution qualified(String t, Map<String, String> pins) {
    java.util.regex.Matcher m = QUALIFIED.matcher(t);
    if (!m.matches()) {
      return null;
    }
    Resolution name = resolveUnrolled(m.group(1), pins);
    if (name.status() == Status.AGGREGATE) {
      return name;
    }
    if (name.status() != Status.RESOLVED) {
      return null;
    }
    String qualifier = Folding.fold(m.group(2));
    if (NEUTRAL_QUALIFIERS.contains(qualifier)
        || name.iso3().equals(resolveUnrolled(m.group(2), pins).iso3())) {
      return Resolution.resolved(name.iso3(), name.via() + "+qualifier");
    }
    return null;
  }

  private void putName(String folded, String iso3, String file) {
    String prev = byName.putIfAbsent(folded, iso3);
    if (prev != null && !prev.equals(iso3)) {
      throw new IllegalStateException(
          file
              + ": '"
              + folded
              + "' names both "
              + prev
              + " and "
              + iso3
              + "; list it in ambiguous.csv instead");
    }
  }

  static List<Map<String, String>> table(String name) {
    String res = "/reference/" + name;
    try (InputStream in = CountryResolver.class.getResourceAsStream(res)) {
      if (in == null) {
        throw new IllegalStateException("missing resource " + res);
      }
      List<Csv.Record> recs = Csv.read(new InputStreamReader(in, StandardCharsets.UTF_8), ',');
      List<String> header = recs.get(0).fields();
      List<Map<String, String>> rows = new ArrayList<>();
      for (Csv.Record r : recs.subList(1, recs.size())) {
        if (Csv.isBlank(r) || r.fields().get(0).startsWith("#")) {
          continue;
        }
        Map<String, String> m = new HashMap<>();
        for (int i = 0; i < header.size(); i++) {
          m.put(header.get(i), i < r.fields().size() ? r.fields().get(i) : "");
        }
        rows.add(m);
      }
      return rows;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s.strip();
  }

  private static Long longOrNull(String s) {
    return s == null || s.isBlank() ? null : Long.parseLong(s.strip());
  }

  private static Integer intOrNull(String s) {
    return s == null || s.isBlank() ? null : Integer.parseInt(s.strip());
  }
}
