package org.trustatlas.silver;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.trustatlas.config.AtlasConfig.MergeCredit;
import org.trustatlas.reference.Csv;

class ModelLineageTest {

  static List<Csv.Record> read(String resource) throws IOException {
    return Csv.read(
        new InputStreamReader(
            ModelLineageTest.class.getResourceAsStream(resource), StandardCharsets.UTF_8),
        ',');
  }

  /** A models.csv of {@code rows} under its header. */
  static List<Csv.Record> registry(String... rows) throws IOException {
    return Csv.read(
        new java.io.StringReader(
            "model_id,family,developer,developer_country,open_weights,licence,release_date,"
                + "base_model,relation\n"
                + String.join("\n", rows)),
        ',');
  }

  @Test
  void creditsChainsMergesAndDiamondsAsTheExpectedFileSays() throws IOException {
    ModelLineage.Result r =
        ModelLineage.resolve(read("/lineage/registry-small.csv"), MergeCredit.FRACTIONAL);
    Map<String, String> got = new TreeMap<>();
    for (ModelLineage.Attribution a : r.attributions()) {
      got.put(a.model().modelId() + "|" + a.rootId(), a.credit() + "|" + a.path());
    }
    Map<String, String> want = new TreeMap<>();
    for (Csv.Record e : read("/lineage/registry-small-expected.csv").subList(1, 25)) {
      List<String> f = e.fields();
      want.put(f.get(0) + "|" + f.get(1), Double.parseDouble(f.get(2)) + "|" + f.get(3));
    }
    assertThat(got).isEqualTo(want);
    assertThat(r.rejected()).isEmpty();
  }

  @Test
  void creditsOfEveryModelSumToOne() throws IOException {
    ModelLineage.Result r =
        ModelLineage.resolve(read("/lineage/registry-small.csv"), MergeCredit.FRACTIONAL);
    Map<String, Double> sums =
        r.attributions().stream()
            .collect(
                Collectors.groupingBy(
                    a -> a.model().modelId(),
                    Collectors.summingDouble(ModelLineage.Attribution::credit)));
    assertThat(sums.values()).allSatisfy(v -> assertThat(v).isEqualTo(1.0));
  }

  @Test
  void fullCountingCreditsEveryParentWhole() throws IOException {
    ModelLineage.Result r =
        ModelLineage.resolve(read("/lineage/registry-small.csv"), MergeCredit.FULL);
    assertThat(r.attributions().stream().filter(a -> a.model().modelId().equals("t/four-way")))
        .hasSize(4)
        .allSatisfy(a -> assertThat(a.credit()).isEqualTo(1.0));
  }

  @Test
  void quarantinesCyclesUnknownParentsDuplicatesAndMalformedRows() throws IOException {
    ModelLineage.Result r =
        ModelLineage.resolve(read("/lineage/registry-bad.csv"), MergeCredit.FRACTIONAL);
    Map<String, Long> reasons =
        r.rejected().stream()
            .collect(
                Collectors.groupingBy(
                    ModelLineage.Rejected::reason, TreeMap::new, Collectors.counting()));
    assertThat(reasons)
        .containsEntry("cycle", 8L)
        .containsEntry("unknown_parent", 3L)
        .containsEntry("duplicate", 1L)
        .containsEntry("malformed_line", 2L)
        .containsEntry("bad_value", 1L);
    long good = r.attributions().stream().map(a -> a.model().modelId()).distinct().count();
    assertThat(r.rowsIn()).isEqualTo(21);
    assertThat(good + r.rejected().size()).isEqualTo(r.rowsIn());
    assertThat(good).isEqualTo(6);
  }

  @Test
  void everySampleDerivativeEndsAtARootWithADeveloperCountry() throws IOException {
    List<Csv.Record> recs;
    try (var in =
        java.nio.file.Files.newBufferedReader(
            org.trustatlas.testing.SparkTestSession.repoRoot()
                .resolve("data-samples/reference/models.csv"))) {
      recs = Csv.read(in, ',');
    }
    ModelLineage.Result r = ModelLineage.resolve(recs, MergeCredit.FRACTIONAL);
    assertThat(r.rejected()).isEmpty();
    assertThat(r.unresolvedCountries()).isEmpty();
    // Written as ISO3 already: resolving leaves every value as it was (gold does not move).
    int country = recs.get(0).fields().indexOf("developer_country");
    for (Csv.Record rec : recs.subList(1, recs.size())) {
      String written = rec.fields().get(country).strip();
      assertThat(r.models().get(rec.fields().get(0).strip()).developerCountry())
          .isEqualTo(written.isEmpty() ? null : written);
    }
    assertThat(r.attributions())
        .allSatisfy(
            a ->
                assertThat(r.models().get(a.rootId()).developerCountry()).as(a.path()).isNotNull());
    long r1Descendants =
        r.attributions().stream()
            .filter(a -> a.rootId().equals("deepseek-ai/DeepSeek-R1") && a.depth() > 0)
            .count();
    assertThat(r1Descendants).isGreaterThanOrEqualTo(120);
  }

  @Test
  void developerCountryIsResolvedToIso3AndAnUnresolvedOneLeavesNoOrigin() throws IOException {
    List<Csv.Record> recs =
        registry(
            "cn/root,F,Org,CN,true,mit,2025-01-01,,",
            "us/root,F,Org,United States,true,mit,2025-01-01,,",
            "iso3/root,F,Org,FRA,true,mit,2025-01-01,,",
            "nowhere/root,F,Org,Narnia,true,mit,2025-01-01,,",
            "congo/root,F,Org,Congo,true,mit,2025-01-01,,",
            "blank/root,F,Org,,true,mit,2025-01-01,,",
            "x/narnia-ft,F,X,,true,mit,2025-02-01,nowhere/root,finetune");
    ModelLineage.Result r = ModelLineage.resolve(recs, MergeCredit.FRACTIONAL);
    Map<String, String> origin = new TreeMap<>();
    r.models().forEach((id, m) -> origin.put(id, String.valueOf(m.developerCountry())));
    assertThat(origin)
        .containsEntry("cn/root", "CHN")
        .containsEntry("us/root", "USA")
        .containsEntry("iso3/root", "FRA")
        .containsEntry("nowhere/root", "null")
        .containsEntry("congo/root", "null")
        .containsEntry("blank/root", "null");
    // Kept, attributed to its root, and reported once per unresolved value (blank is not one).
    assertThat(r.rejected()).isEmpty();
    assertThat(r.attributions()).hasSize(7);
    assertThat(r.unresolvedCountries())
        .extracting(ModelLineage.Rejected::line, ModelLineage.Rejected::reason)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(5, "unresolved_country"),
            org.assertj.core.groups.Tuple.tuple(6, "ambiguous_country"));
    assertThat(r.unresolvedCountries().get(0).detail())
        .contains("'Narnia'")
        .contains("nowhere/root")
        .contains("ISO 3166");
    assertThat(r.unresolvedCountries().get(1).detail()).contains("'Congo'").contains("ambiguous");
  }

  @Test
  void aBaseModelSpeltAsTheHubAllowsIsTheModelOfThatId() throws IOException {
    List<Csv.Record> recs =
        registry(
            "Org/Root-7B,F,Org,FRA,true,mit,2025-01-01,,",
            "x/ft,F,X,,true,mit,2025-02-01,org/root-7b,finetune",
            "y/merge,F,Y,,true,mit,2025-02-01,https://huggingface.co/Org/Root-7B;x/ft,merge",
            "z/ft,F,Z,,true,mit,2025-02-01,org/root-7b-instruct,finetune");
    ModelLineage.Result r = ModelLineage.resolve(recs, MergeCredit.FRACTIONAL);
    Map<String, String> roots = new TreeMap<>();
    r.attributions()
        .forEach(
            a ->
                roots.merge(
                    a.model().modelId(), a.rootId() + " " + a.credit(), (x, y) -> x + ", " + y));
    assertThat(roots)
        .containsEntry("x/ft", "Org/Root-7B 1.0")
        // Both parents reach the one root: halves that add up, no unknown parent.
        .containsEntry("y/merge", "Org/Root-7B 1.0")
        .doesNotContainKey("z/ft");
    assertThat(r.models().get("x/ft").parents()).containsExactly("Org/Root-7B");
    assertThat(r.rejected())
        .extracting(ModelLineage.Rejected::modelId, ModelLineage.Rejected::reason)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("z/ft", "unknown_parent"));
  }
}
