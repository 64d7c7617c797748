package org.trustatlas.generate;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Writes app monthly actives: one CSV per calendar month under {@code
 * logs/app_mau/date=YYYY-MM-01/app_mau.csv}, countries as names, with "Worldwide" and "Other
 * countries" aggregate rows. Monthly totals follow figures.md 7c where published.
 */
final class AppMau {
  static final String HEADER = "month,app,country,monthly_active_users";
  static final String WORLDWIDE = "Worldwide";
  static final String OTHER = "Other countries";

  /** Countries below this many users are folded into "Other countries", as app panels do. */
  static final long LISTED_MIN = 1_000;

  static final YearMonth JAN_2025 = YearMonth.of(2025, 1);

  /** DeepSeek app MAU, 33.7 M in January 2025 and about 96–97 M in April (figures.md 7c). */
  static long deepseekTotal(YearMonth m) {
    if (m.isBefore(JAN_2025)) {
      return 0;
    }
    long jan = 33_700_000L;
    long apr = 96_500_000L;
    long step = m.getMonthValue() - 1 + 12L * (m.getYear() - 2025);
    if (step >= 3) {
      return apr;
    }
    return Math.round(jan + (apr - jan) * step / 3.0);
  }

  /** DeepSeek app MAU in South Korea (WiseApp & Retail, figures.md 7c); May's after May. */
  static long deepseekKorea(YearMonth m) {
    if (m.isBefore(JAN_2025)) {
      return 0;
    }
    long step = m.getMonthValue() - 1 + 12L * (m.getYear() - 2025);
    long[] published = {995_709L, 949_563L, 356_853L, 284_184L, 218_699L};
    return published[(int) Math.min(step, published.length - 1)];
  }

  /**
   * ChatGPT app MAU: 349.4 M in January 2025 (Aicpb, figures.md 7c); ±3 %/month synthetic trend.
   */
  static long chatgptTotal(YearMonth m) {
    if (m.isBefore(YearMonth.of(2023, 5))) {
      return 0;
    }
    long step = m.getMonthValue() - 1 + 12L * (m.getYear() - 2025);
    return Math.round(349_400_000.0 * StrictMath.pow(1.03, step));
  }

  /** Doubao app MAU: 78.6 M in January 2025 (Aicpb, figures.md 7c); +2 %/month synthetic trend. */
  static long doubaoTotal(YearMonth m) {
    if (m.isBefore(YearMonth.of(2023, 8))) {
      return 0;
    }
    long step = m.getMonthValue() - 1 + 12L * (m.getYear() - 2025);
    return Math.round(78_600_000.0 * StrictMath.pow(1.02, step));
  }

  /** One CSV row. */
  record Row(String month, String app, String country, long users, String category) {}

  private AppMau() {}

  /** The rows of {@code month}, in file order. */
  static List<Row> rows(YearMonth month, CountryTable countries, long seed) {
    List<Row> out = new ArrayList<>();
    String mm = month.toString();
    for (String app : List.of("ChatGPT", "DeepSeek", "Doubao")) {
      long total =
          switch (app) {
            case "DeepSeek" -> deepseekTotal(month);
            case "ChatGPT" -> chatgptTotal(month);
            default -> doubaoTotal(month);
          };
      if (total <= 0) {
        continue;
      }
      int n = countries.size();
      double[] w = new double[n];
      long[] pinned = new long[n];
      long pinnedSum = 0;
      for (CountryTable.Country c : countries.all()) {
        double noise =
            0.9 + 0.2 * Mix.unit(Mix.mix64(seed ^ Mix.hash(app + "|" + mm + "|" + c.iso3())));
        double tilt =
            switch (app) {
              case "DeepSeek" -> CountryTable.deepseekTilt(c);
              case "ChatGPT" -> CountryTable.usClosedTilt(c);
              default ->
                  switch (c.iso3()) {
                    case "CHN" -> 1.0;
                    case "HKG", "MAC", "TWN" -> 0.005;
                    default -> 0.0002;
                  };
            };
        if ("DeepSeek".equals(app) && "KOR".equals(c.iso3())) {
          pinned[c.index()] = deepseekKorea(month);
          pinnedSum += pinned[c.index()];
          continue;
        }
        w[c.index()] = c.weight() * tilt * noise;
      }
      long[] alloc = largestRemainder(w, Math.max(0, total - pinnedSum));
      List<Row> listed = new ArrayList<>();
      long other = 0;
      for (CountryTable.Country c : countries.all()) {
        long users = alloc[c.index()] + pinned[c.index()];
        if (users >= LISTED_MIN) {
          String name = CountryTable.displayName(c);
          listed.add(
              new Row(
                  mm,
                  app,
                  name,
                  users,
                  name.equals(c.name()) ? Dirt.COUNTRY_ROW : Dirt.ALTERNATE_SPELLING));
        } else {
          other += users;
        }
      }
      listed.sort(Comparator.comparingLong(Row::users).reversed().thenComparing(Row::country));
      out.add(new Row(mm, app, WORLDWIDE, total, Dirt.AGGREGATE_ROW));
      out.addAll(listed);
      if (other > 0) {
        out.add(new Row(mm, app, OTHER, other, Dirt.AGGREGATE_ROW));
      }
    }
    return out;
  }

  /** Integer shares of {@code total} proportional to {@code w}; they sum to {@code total}. */
  static long[] largestRemainder(double[] w, long total) {
    double sum = 0;
    for (double x : w) {
      sum += x;
    }
    long[] out = new long[w.length];
    if (sum <= 0) {
      return out;
    }
    double[] frac = new double[w.length];
    long assigned = 0;
    for (int i = 0; i < w.length; i++) {
      double exact = w[i] / sum * total;
      out[i] = (long) Math.floor(exact);
      frac[i] = exact - out[i];
      assigned += out[i];
    }
    Integer[] order = new Integer[w.length];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    java.util.Arrays.sort(
        order, (a, b) -> frac[a] != frac[b] ? Double.compare(frac[b], frac[a]) : a - b);
    for (int k = 0; assigned < total && k < order.length; k++) {
      if (w[order[k]] > 0) {
        out[order[k]]++;
        assigned++;
      }
    }
    return out;
  }

  /** Writes the month's file; returns rows per category of {@link Dirt#APP_MAU}. */
  static long[] write(Path file, YearMonth month, CountryTable countries, long seed)
      throws IOException {
    List<Row> rows = rows(month, countries, seed);
    long[] counts = new long[Dirt.APP_MAU.size()];
    Path tmp = file.resolveSibling("." + file.getFileName() + ".inprogress");
    try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
      w.write(HEADER);
      w.write('\n');
      for (Row r : rows) {
        w.write(r.month() + "," + csv(r.app()) + "," + csv(r.country()) + "," + r.users() + "\n");
        counts[Dirt.APP_MAU.indexOf(r.category())]++;
      }
    }
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    return counts;
  }

  static String csv(String s) {
    if (s.indexOf(',') < 0 && s.indexOf('"') < 0 && s.indexOf('\n') < 0) {
      return s;
    }
    return "\"" + s.replace("\"", "\"\"") + "\"";
  }
}
