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
}
