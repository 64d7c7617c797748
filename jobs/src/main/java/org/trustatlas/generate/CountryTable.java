package org.trustatlas.generate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.trustatlas.config.ConfigException;
import org.trustatlas.reference.CountryResolver;
import org.trustatlas.reference.Csv;
import org.trustatlas.reference.Resolution;

/**
 * The countries the synthetic logs come from, each weighted by its AI use: Microsoft AI-user share
 * times internet users (SPEC.md Inputs 3 reference data and the AI-diffusion table).
 */
final class CountryTable {

  /**
   * One country that can appear in the logs.
   *
   * @param weight relative AI use = {@code aiShare × internetUsers}
   */
  record Country(
      int index,
      String iso3,
      String iso2,
      String name,
      String region,
      double aiShare,
      boolean aiShareImputed,
      double internetUsers,
      boolean internetImputed,
      double weight,
      double share) {}

  private final List<Country> countries;
  private final int measured;

  private CountryTable(List<Country> countries, int measured) {
    this.countries = countries;
    this.measured = measured;
  }

  List<Country> all() {
    return countries;
  }

  Country get(int index) {
    return countries.get(index);
  }

  int size() {
    return countries.size();
  }

  /** Countries whose AI-user share came from the diffusion table (the rest are imputed). */
  int measuredCount() {
    return measured;
  }

  double[] weights() {
    double[] w = new double[countries.size()];
    for (Country c : countries) {
      w[c.index()] = c.weight();
    }
    return w;
  }

  /**
   * Loads the country table ({@code countriesCsv}, or the bundled {@code /reference/countries.csv}
   * when null) and the AI-user shares of {@code diffusionCsv} (read through its {@code source.yaml}
   * when one sits beside it).
   */
  static CountryTable load(Path countriesCsv, Path diffusionCsv) {
    List<Map<String, String>> rows = readCountries(countriesCsv);
    Map<String, Double> shares = readDiffusion(diffusionCsv);

    // Imputation inputs: per-region medians of the AI-user share and of internet penetration.
    Map<String, List<Double>> shareByRegion = new TreeMap<>();
    Map<String, List<Double>> penetrationByRegion = new TreeMap<>();
    List<Double> allShares = new ArrayList<>();
    for (Map<String, String> r : rows) {
      String region = r.getOrDefault("region", "");
      Double s = shares.get(r.get("iso3"));
      if (s != null) {
        shareByRegion.computeIfAbsent(region, k -> new ArrayList<>()).add(s);
        allShares.add(s);
      }
      double pop = number(r.get("population"));
      double net = number(r.get("internet_users"));
      if (pop > 0 && net > 0) {
        penetrationByRegion.computeIfAbsent(region, k -> new ArrayList<>()).add(net / pop);
      }
    }
    double globalShare = allShares.isEmpty() ? 0.15 : median(allShares);

    List<Country> out = new ArrayList<>();
    rows.sort(Comparator.comparing(r -> r.get("iso3")));
    int measured = 0;
    for (Map<String, String> r : rows) {
      String iso3 = r.get("iso3");
      String iso2 = r.getOrDefault("iso2", "");
      String region = r.getOrDefault("region", "");
      if (iso2.isBlank() || region.isBlank()) {
        continue; // no geo-IP code to emit, or a territory without the data to weight it
      }
      Double share = shares.get(iso3);
      boolean shareImputed = share == null;
      if (share == null) {
        List<Double> rs = shareByRegion.get(region);
        share = rs == null || rs.isEmpty() ? globalShare : median(rs);
      }
      double net = number(r.get("internet_users"));
      boolean netImputed = false;
      if (!(net > 0) && shareImputed) {
        continue; // neither an AI-user share nor internet users: no basis for a weight
      }
      if (!(net > 0)) {
        double pop = number(r.get("population"));
        List<Double> pen = penetrationByRegion.get(region);
        if (!(pop > 0) || pen == null || pen.isEmpty()) {
          continue; // neither internet users nor population: no basis for a weight
        }
        net = pop * median(pen);
        netImputed = true;
      }
      double weight = share * net;
      if (!(weight > 0)) {
        continue;
      }
      if (!shareImputed) {
        measured++;
      }
      out.add(
          new Country(
              0,
              iso3,
              iso2.strip(),
              r.get("short_name"),
              region,
              share,
              shareImputed,
              net,
              netImputed,
              weight,
              0));
    }
    if (out.isEmpty()) {
      throw new ConfigException(
          "no usable country in the country table: each needs iso2, region and internet users or"
              + " population");
    }
    double total = out.stream().mapToDouble(Country::weight).sum();
    List<Country> indexed = new ArrayList<>(out.size());
    for (int i = 0; i < out.size(); i++) {
      Country c = out.get(i);
      indexed.add(
          new Country(
              i,
              c.iso3(),
              c.iso2(),
              c.name(),
              c.region(),
              c.aiShare(),
              c.aiShareImputed(),
              c.internetUsers(),
              c.internetImputed(),
              c.weight(),
              c.weight() / total));
    }
    return new CountryTable(List.copyOf(indexed), measured);
  }

  private static List<Map<String, String>> readCountries(Path file) {
    try {
      if (file == null) {
        try (InputStream in = CountryTable.class.getResourceAsStream("/reference/countries.csv")) {
          if (in == null) {
            throw new IllegalStateException("missing resource /reference/countries.csv");
          }
          return table(new InputStreamReader(in, StandardCharsets.UTF_8), "countries.csv");
        }
      }
      if (!Files.isRegularFile(file)) {
        throw new ConfigException("country table not found: " + file);
      }
      try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
        return table(in, file.toString());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** ISO3 → AI-user share as a fraction. */
  private static Map<String, Double> readDiffusion(Path file) {
    if (!Files.isRegularFile(file)) {
      throw new ConfigException(
          "AI-diffusion table not found: "
              + file
              + " (run from the repository root, or pass the data-samples path explicitly)");
    }
    String countryColumn = null;
    String valueColumn = null;
    boolean fraction = false;
    Map<String, String> pins = new TreeMap<>();
    Path descriptor = file.resolveSibling("source.yaml");
    if (Files.isRegularFile(descriptor)) {
      try {
        JsonNode d = new ObjectMapper(new YAMLFactory()).readTree(descriptor.toFile());
        countryColumn = text(d.path("country").path("column"));
        for (Map.Entry<String, JsonNode> e : d.path("country").path("pins").properties()) {
          pins.put(e.getKey(), e.getValue().asText());
        }
        fraction = "fraction".equals(text(d.path("values").path("scale")));
        for (JsonNode m : d.path("metrics")) {
          if ("ai_user_share".equals(text(m.path("metric")))) {
            valueColumn = text(m.path("column"));
            break;
          }
        }
      } catch (IOException e) {
        throw new ConfigException("cannot read " + descriptor + ": " + e.getMessage(), e);
      }
    }
    List<Map<String, String>> rows;
    List<String> header;
    try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      List<Csv.Record> recs = Csv.read(in, ',');
      header = recs.isEmpty() ? List.of() : recs.get(0).fields();
      rows = toMaps(recs, header);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (header.size() < 2) {
      throw new ConfigException(file + ": expected a country column and an AI-user-share column");
    }
    if (countryColumn == null) {
      countryColumn = header.get(0);
    }
    if (valueColumn == null) {
      valueColumn = header.get(1);
    }
    CountryResolver resolver = CountryResolver.load(false);
    Map<String, Double> out = new TreeMap<>();
    for (Map<String, String> r : rows) {
      String raw = r.get(countryColumn);
      String value = r.getOrDefault(valueColumn, "").replace("%", "").strip();
      if (raw == null || value.isEmpty()) {
        continue;
      }
      Resolution res = resolver.resolve(raw, pins);
      if (res.iso3() == null) {
        continue; // aggregates ("Global") and anything unresolved
      }
      double v;
      try {
        v = Double.parseDouble(value);
      } catch (NumberFormatException e) {
        continue;
      }
      out.put(res.iso3(), fraction ? v : v / 100.0);
    }
    if (out.isEmpty()) {
      throw new ConfigException(file + ": no country row with an AI-user share could be read");
    }
    return out;
  }

  private static List<Map<String, String>> table(Reader in, String name) throws IOException {
    List<Csv.Record> recs = Csv.read(in, ',');
    if (recs.isEmpty()) {
      throw new ConfigException(name + ": empty");
    }
    List<String> header = recs.get(0).fields();
    for (String col : List.of("iso3", "iso2", "short_name", "region", "internet_users")) {
      if (!header.contains(col)) {
        throw new ConfigException(name + ": missing column '" + col + "'");
      }
    }
    return toMaps(recs, header);
  }

  private static List<Map<String, String>> toMaps(List<Csv.Record> recs, List<String> header) {
    List<Map<String, String>> rows = new ArrayList<>();
    for (Csv.Record r : recs.subList(Math.min(1, recs.size()), recs.size())) {
      if (Csv.isBlank(r) || r.fields().get(0).startsWith("#")) {
        continue;
      }
      Map<String, String> m = new TreeMap<>();
      for (int i = 0; i < header.size(); i++) {
        m.put(header.get(i), i < r.fields().size() ? r.fields().get(i).strip() : "");
      }
      rows.add(m);
    }
    return rows;
  }

  private static String text(JsonNode n) {
    return n == null || n.isMissingNode() || n.isNull() ? null : n.asText();
  }

  private static double number(String s) {
    if (s == null || s.isBlank()) {
      return Double.NaN;
    }
    try {
      return Double.parseDouble(s.strip());
    } catch (NumberFormatException e) {
      return Double.NaN;
    }
  }

  private static double median(List<Double> values) {
    double[] v = values.stream().mapToDouble(Double::doubleValue).toArray();
    Arrays.sort(v);
    int n = v.length;
    return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2.0;
  }

  // ---- calibration tilts (relative multipliers; see GENERATED.md) ----

  /**
   * How much more (or less) DeepSeek is used than the country's AI use alone predicts: high in
   * China, Russia, Belarus, Iran and much of Africa, low in North America, Europe, Israel and South
   * Korea (figures.md 7b and 7c).
   */
  static double deepseekTilt(Country c) {
    return switch (c.iso3()) {
      case "CHN" -> 8.0;
      case "BLR" -> 6.0;
      case "RUS", "CUB" -> 5.0;
      case "IRN", "SYR" -> 4.0;
      case "HKG", "MAC" -> 3.0;
      case "ETH", "ZWE", "MWI", "MDG", "TUN" -> 3.5;
      case "EGY", "DZA", "LBY", "MAR" -> 2.5;
      case "KAZ", "KGZ", "TJK", "TKM", "UZB" -> 2.5;
      case "IDN" -> 4.0;
      case "IND" -> 3.0;
      case "PAK", "BGD", "VEN", "PRK" -> 2.0;
      case "KOR" -> 0.3;
      case "ISR" -> 0.2;
      case "JPN", "TWN", "AUS", "NZL" -> 0.4;
      default ->
          switch (c.region()) {
            case "Sub-Saharan Africa" -> 3.0;
            case "North America" -> 0.25;
            case "Europe & Central Asia" -> 0.35;
            case "South Asia", "East Asia & Pacific" -> 1.5;
            case "Middle East, North Africa, Afghanistan & Pakistan" -> 1.3;
            default -> 1.0;
          };
    };
  }

  /** US closed models are blocked or restricted in these markets. */
  static double usClosedTilt(Country c) {
    return switch (c.iso3()) {
      case "CHN", "PRK" -> 0.03;
      case "HKG", "MAC" -> 0.2;
      case "RUS", "BLR", "IRN", "SYR", "CUB", "VEN" -> 0.25;
      default -> 1.0;
    };
  }

  /** Chinese and US open models in China: domestic models favoured. */
  static double originTilt(Country c, String modelOrigin) {
    if (!"CHN".equals(c.iso3())) {
      return 1.0;
    }
    return switch (modelOrigin) {
      case "CHN" -> 1.3;
      case "USA" -> 0.6;
      default -> 0.8;
    };
  }

  /** The spelling app-store panels use for a country: mostly English short names, some variants. */
  static String displayName(Country c) {
    return switch (c.iso3()) {
      case "VNM" -> "Viet Nam";
      case "KOR" -> "Korea, Rep.";
      case "RUS" -> "Russian Federation";
      case "IRN" -> "Iran, Islamic Rep.";
      case "EGY" -> "Egypt, Arab Rep.";
      case "LAO" -> "Lao PDR";
      case "VEN" -> "Venezuela, RB";
      case "SYR" -> "Syrian Arab Rep.";
      case "TZA" -> "Tanzania, United Republic of";
      case "CZE" -> "Czech Rep.";
      case "TUR" -> "Türkiye";
      default -> c.name();
    };
  }
}
