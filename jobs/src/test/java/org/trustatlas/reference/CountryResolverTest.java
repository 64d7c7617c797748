package org.trustatlas.reference;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CountryResolverTest {
  private final CountryResolver resolver = CountryResolver.load(false);

  record Case(int line, String input, String iso3, String status) {}

  static List<Case> corpus() throws IOException {
    List<Case> cases = new ArrayList<>();
    try (BufferedReader r =
        new BufferedReader(
            new InputStreamReader(
                CountryResolverTest.class.getResourceAsStream("/country-resolution-corpus.tsv"),
                StandardCharsets.UTF_8))) {
      r.readLine();
      int line = 1;
      for (String l; (l = r.readLine()) != null; ) {
        line++;
        String[] f = l.split("\t", -1);
        cases.add(new Case(line, f[0], f[1], f[2]));
      }
    }
    return cases;
  }

  @Test
  void resolvesTheWholeCorpusWithoutAFalseMatch() throws IOException {
    List<Case> cases = corpus();
    assertThat(cases).hasSizeGreaterThanOrEqualTo(300);
    List<String> wrong = new ArrayList<>();
    for (Case c : cases) {
      Resolution got = resolver.resolve(c.input());
      String iso = got.iso3() == null ? "" : got.iso3();
      if (!iso.equals(c.iso3()) || !got.status().label().equals(c.status())) {
        wrong.add(
            "line "
                + c.line()
                + " '"
                + c.input()
                + "': expected "
                + c.iso3()
                + "/"
                + c.status()
                + ", got "
                + iso
                + "/"
                + got.status().label()
                + " via "
                + got.via());
      }
    }
    assertThat(wrong).isEmpty();
  }

  @ParameterizedTest
  @CsvSource({
    "Niger, NER",
    "Nigeria, NGA",
    "Dominica, DMA",
    "Dominican Republic, DOM",
    "Guinea, GIN",
    "Equatorial Guinea, GNQ",
    "Guinea-Bissau, GNB",
    "Papua New Guinea, PNG",
    "Sudan, SDN",
    "South Sudan, SSD",
    "South Korea, KOR",
    "North Korea, PRK",
    "'Korea, Rep.', KOR",
    "'Congo, Dem. Rep.', COD",
    "'Congo, Rep.', COG",
    "Côte d’Ivoire, CIV",
    "COTE D'IVOIRE, CIV",
    "Việt Nam, VNM",
    "México, MEX",
    "Türkiye, TUR",
    "Turkey, TUR",
    "Swaziland, SWZ",
    "Burma, MMR",
    "UK, GBR",
    "UAE, ARE",
    "S. Korea, KOR",
    "KSA, SAU",
    "Kosovo, XKX",
    "566, NGA",
    "562, NER",
    "4, AFG",
    "NE, NER",
    "Hong Kong, HKG",
    "Taiwan, TWN",
    "Netherlands (the), NLD",
    "China (mainland), CHN",
    "Türkiye (Turkey), TUR",
    "Central African Republic, CAF",
    "United Arab Emirates, ARE",
    "Dominican Republic, DOM",
    "South Africa, ZAF",
    "United States, USA",
    "Netherlands, NLD",
    "Guinea (Bissau), GNB",
    "Kenya\u00b9, KEN",
    "Kenya\u00b2\u00b3, KEN",
    "Chile (a), CHL",
    "Peru [1], PER",
    "France (12), FRA",
    "Japan\u2020, JPN",
    "Japan*, JPN"
  })
  void resolvesTheTrapsToTheRightCountry(String input, String iso3) {
    assertThat(resolver.resolve(input).iso3()).isEqualTo(iso3);
  }

  @ParameterizedTest
  @CsvSource({
    "Global Country Average, aggregate",
    "Global 28, aggregate",
    "median, aggregate",
    "Congo, ambiguous",
    "Korea, ambiguous",
    "Nigerria, unresolved",
    "Atlantis, unresolved",
    "'', unresolved",
    "and, unresolved",
    "can, unresolved",
    "G7 average, aggregate",
    "Europe average, aggregate",
    "Africa average, aggregate",
    "MENA region, aggregate",
    "Asia Pacific (APAC), aggregate",
    "Middle East & Africa, aggregate",
    "GCC countries, aggregate",
    "BRICS countries, aggregate",
    "Developed markets avg, aggregate",
    "England, unresolved",
    "England (UK), unresolved",
    "Sudan (former), unresolved",
    "Georgia (US state), unresolved",
    "Europe and Canada, unresolved",
    "Atlantis\u00b9, unresolved",
    "Global average (a), aggregate"
  })
  void neverGuesses(String input, String status) {
    assertThat(resolver.resolve(input).status().label()).isEqualTo(status);
    assertThat(resolver.resolve(input).iso3()).isNull();
  }

  @Test
  void sourcePinsDecideAmbiguousNames() {
    assertThat(resolver.resolve("Congo", Map.of("Congo", "COG")).iso3()).isEqualTo("COG");
    assertThat(resolver.resolve("Korea", Map.of("Korea", "KOR")).iso3()).isEqualTo("KOR");
  }

  @Test
  void greaterChinaStaysSeparateUnlessRolledUp() {
    assertThat(resolver.resolve("Hong Kong SAR, China").iso3()).isEqualTo("HKG");
    CountryResolver rolled = CountryResolver.load(true);
    assertThat(rolled.resolve("Hong Kong").iso3()).isEqualTo("CHN");
    assertThat(rolled.resolve("Taiwan").iso3()).isEqualTo("CHN");
    assertThat(rolled.resolve("Macao").iso3()).isEqualTo("CHN");
    assertThat(rolled.resolve("Japan").iso3()).isEqualTo("JPN");
  }

  @Test
  void everyCountryHasTheColumnsJoinsNeed() {
    assertThat(resolver.countries()).hasSizeGreaterThanOrEqualTo(250);
    assertThat(resolver.countries()).allSatisfy(c -> assertThat(c.iso3()).matches("[A-Z]{3}"));
    assertThat(resolver.countries().stream().filter(c -> c.iso3().equals("XKX"))).hasSize(1);
    assertThat(resolver.countries().stream().filter(c -> c.internetUsers() != null).count())
        .isGreaterThan(150);
  }
}
