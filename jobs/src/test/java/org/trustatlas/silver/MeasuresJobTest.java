package org.trustatlas.silver;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.trustatlas.contract.Tables;
import org.trustatlas.io.Warehouse;
import org.trustatlas.testing.Cli;
import org.trustatlas.testing.SparkTestSession;

/** silver.country_measures through the command line: what its quarantine says beyond the cells. */
@ExtendWith(SparkTestSession.class)
class MeasuresJobTest {

  /** The opening of a wide-layout descriptor of source {@code source}, wave 1, file data.csv. */
  static String wide(String source) {
    return "source: "
        + source
        + "\npublisher: P\ntitle: T\nwave: '1'\nfieldwork_end: 2025-01-31\n"
        + "mode: online_panel\nlicence: CC-BY-4.0\ncitation_url: https://example.org\n"
        + "file: data.csv\nlayout: wide\ncountry: {column: Country}\n";
  }

  @Test
  void aSampleSizeOrMarginThatDoesNotReadIsReportedWhileTheShareIsPublished() throws Exception {
    SparkSession spark = SparkTestSession.get();
    Path in = SparkTestSession.tmp("measures-n-input");
    Path survey = Files.createDirectories(in.resolve("surveys/t-1"));
    Files.writeString(
        survey.resolve("source.yaml"),
        wide("t")
            + "metrics:\n  - {column: Trust, metric: trust_in_ai}\n"
            + "sample_size: {column: Base}\nmargin_of_error: {column: MoE}\n");
    Files.writeString(
        survey.resolve("data.csv"),
        "Country,Trust,Base,MoE\nFrance,40%,n=1000,3.1\nGermany,35%,1000,about 3\n"
            + "Spain,30%,1000,3.1\n");
    Files.createDirectories(in.resolve("reference"));
    Files.copy(
        SparkTestSession.repoRoot().resolve("data-samples/reference/models.csv"),
        in.resolve("reference/models.csv"));
    Path warehouse = SparkTestSession.tmp("measures-n-wh");
    for (String command : new String[] {"bronze", "silver"}) {
      Cli.Result r =
          Cli.run(
              command,
              "--date",
              "2025-04-20",
              "--input",
              in.toString(),
              "--warehouse",
              warehouse.toString());
      assertThat(r.exitCode()).as(r.err()).isZero();
    }
    Warehouse wh = new Warehouse(spark, warehouse.toString());
    assertThat(
            wh.read(Tables.COUNTRY_MEASURES)
                .orderBy("country_iso3")
                .selectExpr("country_iso3", "value", "n", "moe")
                .collectAsList()
                .toString())
        .isEqualTo("[[DEU,35.0,1000,null], [ESP,30.0,1000,3.1], [FRA,40.0,null,3.1]]");
    assertThat(
            wh
                .read(Tables.QUARANTINE)
                .where("step = 'silver.country_measures'")
                .orderBy("location")
                .selectExpr(
                    "regexp_extract(location, '[^/]+$', 0)", "reason", "row_count", "detail")
                .collectAsList()
                .stream()
                .map(q -> q.mkString(" | "))
                .toList())
        .containsExactly(
            "data.csv:2:Trust | bad_value | 0 | sample size 'n=1000' does not read as a number:"
                + " the share of country 'France' is published without it; print a whole number"
                + " (n) or points (margin of error), or declare decimal_comma",
            "data.csv:3:Trust | bad_value | 0 | margin of error 'about 3' does not read as a"
                + " number: the share of country 'Germany' is published without it; print a whole"
                + " number (n) or points (margin of error), or declare decimal_comma");
  }

  @Test
  void anOverallSampleIsSplitAmongEveryCountrySurveyedAndRunsDoNotCopyTheQuarantine()
      throws Exception {
    SparkSession spark = SparkTestSession.get();
    Path in = SparkTestSession.tmp("measures-overall-input");
    Path survey = Files.createDirectories(in.resolve("surveys/o-1"));
    Files.writeString(
        survey.resolve("source.yaml"),
        wide("o")
            + "metrics:\n  - {column: Excited, metric: ai_excited}\n"
            + "  - {column: Nervous, metric: ai_nervous}\nsample_size: {overall: 3000}\n");
    // Three countries surveyed; Kenya's and Peru's nervous shares do not read.
    Files.writeString(
        survey.resolve("data.csv"),
        "Country,Excited,Nervous\nJapan,40,50\nKenya,60,n/a\nPeru,50,<30%\n"
            + "Global average,50,50\n");
    // Fractions in a column declared scale: percent: published as printed, and noted.
    Path fractions = Files.createDirectories(in.resolve("surveys/f-1"));
    Files.writeString(
        fractions.resolve("source.yaml"),
        wide("f") + "metrics:\n  - {column: Trust, metric: trust_in_ai}\n");
    Files.writeString(
        fractions.resolve("data.csv"), "Country,Trust\nJapan,0.45\nKenya,0.71\nPeru,1\n");
    // One fraction among percentages (Kenya 0.52 among 38 to 61): noted. A share under 1 %
    // printed with % (Brazil), or one that is no fraction of the range (Mexico 0.2), is not.
    Path lone = Files.createDirectories(in.resolve("surveys/g-1"));
    Files.writeString(
        lone.resolve("source.yaml"),
        wide("g") + "metrics:\n  - {column: Trust, metric: trust_in_ai}\n");
    Files.writeString(
        lone.resolve("data.csv"),
        "Country,Trust\nJapan,45\nKenya,0.52\nPeru,61\nChile,38\nBrazil,0.8%\nMexico,0.2\n");
    Files.createDirectories(in.resolve("reference"));
    Files.copy(
        SparkTestSession.repoRoot().resolve("data-samples/reference/models.csv"),
        in.resolve("reference/models.csv"));
    Path warehouse = SparkTestSession.tmp("measures-overall-wh");
    java.util.function.Consumer<String[]> run =
        args -> {
          Cli.Result r =
              Cli.run(
                  args[0],
                  "--date",
                  args[1],
                  "--input",
                  in.toString(),
                  "--warehouse",
                  warehouse.toString());
          assertThat(r.exitCode()).as(r.err()).isZero();
        };
    run.accept(new String[] {"bronze", "2025-04-20"});
    run.accept(new String[] {"silver", "2025-04-20"});
    Warehouse wh = new Warehouse(spark, warehouse.toString());
    // n = 3000 / 3 for every cell: the nervous share of Japan was split by the one country
    // whose nervous share read (n = 3000, an interval too narrow).
    assertThat(
            wh.read(Tables.COUNTRY_MEASURES)
                .where("source = 'o'")
                .orderBy("metric", "country_iso3")
                .selectExpr("metric", "country_iso3", "n", "n_basis", "round(ci_low, 2)")
                .collectAsList()
                .toString())
        .isEqualTo(
            "[[ai_excited,JPN,1000,overall_even_split,37.01],"
                + " [ai_excited,KEN,1000,overall_even_split,56.93],"
                + " [ai_excited,PER,1000,overall_even_split,46.91],"
                + " [ai_nervous,JPN,1000,overall_even_split,46.91]]");
    assertThat(
            wh.read(Tables.QUARANTINE)
                .where("source = 'f/1'")
                .orderBy("location")
                .selectExpr(
                    "regexp_extract(location, '[^/]+$', 0)",
                    "reason",
                    "row_count",
                    "detail LIKE '%look like fractions in a column declared scale: percent%'")
                .collectAsList()
                .toString())
        .isEqualTo(
            "[[data.csv:2:Trust,bad_value,0,true], [data.csv:3:Trust,bad_value,0,true],"
                + " [data.csv:4:Trust,bad_value,0,true]]");
    assertThat(
            wh.read(Tables.COUNTRY_MEASURES)
                .where("source = 'f'")
                .orderBy("country_iso3")
                .selectExpr("country_iso3", "value")
                .collectAsList()
                .toString())
        .isEqualTo("[[JPN,0.45], [KEN,0.71], [PER,1.0]]");
    assertThat(
            wh.read(Tables.QUARANTINE)
                .where("source = 'g/1'")
                .selectExpr(
                    "regexp_extract(location, '[^/]+$', 0)", "reason", "row_count", "detail")
                .collectAsList()
                .toString())
        .isEqualTo(
            "[[data.csv:3:Trust,bad_value,0,value '0.52' of country 'Kenya' reads as 0.52 % where"
                + " the other shares of this metric in the wave are 38-61 %: it looks like a"
                + " fraction; it is published as printed: print it as a percentage (0.45 as 45)"
                + " if it is one]]");
    assertThat(
            wh.read(Tables.COUNTRY_MEASURES)
                .where("source = 'g'")
                .orderBy("country_iso3")
                .selectExpr("country_iso3", "value")
                .collectAsList()
                .toString())
        .isEqualTo("[[BRA,0.8], [CHL,38.0], [JPN,45.0], [KEN,0.52], [MEX,0.2], [PER,61.0]]");
    // Run for other dates, the survey steps' quarantine is replaced, not copied under each date.
    run.accept(new String[] {"bronze", "2025-04-21"});
    run.accept(new String[] {"silver", "2025-04-22"});
    assertThat(
            wh.read(Tables.QUARANTINE)
                .where("step IN ('silver.country_measures', 'bronze.surveys')")
                .groupBy("step", "reason", "data_date")
                .agg(org.apache.spark.sql.functions.sum("row_count"))
                .orderBy("step", "reason")
                .collectAsList()
                .toString())
        .isEqualTo(
            "[[silver.country_measures,aggregate,2025-04-22,2],"
                + " [silver.country_measures,bad_value,2025-04-22,1],"
                + " [silver.country_measures,missing_value,2025-04-22,1]]");
  }
}
