package org.trustatlas.bronze;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class SurveyLandingTest {

  private static SourceDescriptor wide(String extra) {
    return SourceDescriptor.parse("t/source.yaml", SourceDescriptorTest.GOOD + extra);
  }

  @Test
  void wideLayoutGivesOneCellPerCountryAndMetric() {
    var d = wide("");
    var l =
        SurveyLanding.land(
            d,
            "t/data.csv",
            "\uFEFFCountry,Trust\nIndia,77%\nU.S.,32%\n".getBytes(StandardCharsets.UTF_8));
    assertThat(l.cells())
        .extracting(SurveyLanding.Cell::countryRaw)
        .containsExactly("India", "U.S.");
    assertThat(l.cells()).extracting(SurveyLanding.Cell::valueRaw).containsExactly("77%", "32%");
    assertThat(l.cells()).extracting(SurveyLanding.Cell::line).containsExactly(2, 3);
    assertThat(l.rejected()).isEmpty();
  }

  @Test
  void malformedLinesAreRejectedWithTheirLineAndEveryLineIsCounted() {
    var l =
        SurveyLanding.land(
            wide(""),
            "t/data.csv",
            "Country,Trust\nIndia,77%\n\"Unclosed,5\nChina;72\n".getBytes(StandardCharsets.UTF_8));
    assertThat(l.dataLines()).isEqualTo(l.linesLanded() + l.rejected().size());
    assertThat(l.rejected()).extracting(SurveyLanding.Rejected::reason).contains("malformed_line");
  }

  @Test
  void wrongDelimiterQuarantinesLinesAndSaysWhichDelimiter() {
    var l =
        SurveyLanding.land(
            wide(""), "t/data.csv", "Country;Trust\nIndia;77\n".getBytes(StandardCharsets.UTF_8));
    assertThat(l.cells()).isEmpty();
    assertThat(l.rejected())
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.reason()).isEqualTo("schema_mismatch");
              assertThat(r.detail()).contains("Country");
            });
  }

  @Test
  void latin1FileReadAsUtf8IsCaughtAndReadRightWithTheDeclaredEncoding() {
    byte[] latin1 = "Country,Trust\nTürkiye,66\n".getBytes(Charset.forName("ISO-8859-1"));
    var wrong = SurveyLanding.land(wide(""), "t/data.csv", latin1);
    assertThat(wrong.rejected())
        .singleElement()
        .extracting(SurveyLanding.Rejected::reason)
        .isEqualTo("encoding_error");
    var right = SurveyLanding.land(wide("format: {encoding: ISO-8859-1}\n"), "t/data.csv", latin1);
    assertThat(right.cells())
        .singleElement()
        .extracting(SurveyLanding.Cell::countryRaw)
        .isEqualTo("Türkiye");
  }

  @Test
  void crosstabGivesOneCellPerQuestionAnswerAndCountryColumn() {
    String yaml =
        SourceDescriptorTest.GOOD.replace(
            "layout: wide\ncountry: {column: Country}\nmetrics:\n  - {column: Trust, metric: trust_in_ai}\n",
            "layout: crosstab\nmetrics:\n  - {question: Benefits, metric: ai_benefits_outweigh_drawbacks}\n"
                + "crosstab: {question_column: Question, answer_column: Answer, answers: {agree: Agree, neutral: Middle, disagree: Disagree}}\n");
    var d = SourceDescriptor.parse("x.yaml", yaml);
    var l =
        SurveyLanding.land(
            d,
            "x.csv",
            ("Question,Answer,Global Country Average,China,Indonesia\nBenefits,Agree,55%,83%,80%\n"
                    + "Benefits,Disagree,29%,10%,14%\nOther,Agree,1,2,3\n")
                .getBytes(StandardCharsets.UTF_8));
    assertThat(l.cells()).hasSize(6);
    assertThat(l.cells())
        .filteredOn(c -> c.answer().equals("disagree"))
        .extracting(SurveyLanding.Cell::countryRaw)
        .containsExactly("Global Country Average", "China", "Indonesia");
    assertThat(l.rejected())
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.reason()).isEqualTo("unmapped_question");
              assertThat(r.cells()).isEqualTo(3);
            });
  }

  @Test
  void commentLinesAboveTheHeaderAreSkippedAndDataKeepsItsPhysicalLineNumbers() {
    var l =
        SurveyLanding.land(
            wide(""),
            "t/data.csv",
            "# Source: ACME poll 2025\n\n  # fieldwork March\nCountry,Trust\nIndia,77\nUSA,32"
                .getBytes(StandardCharsets.UTF_8));
    assertThat(l.rejected()).isEmpty();
    assertThat(l.cells())
        .extracting(SurveyLanding.Cell::countryRaw)
        .containsExactly("India", "USA");
    assertThat(l.cells()).extracting(SurveyLanding.Cell::line).containsExactly(5, 6);
    assertThat(l.dataLines()).isEqualTo(2);
  }

  @Test
  void headerWithoutDataLinesIsAnEmptyFileNamingTheHeaderLineAndTheFix() {
    var l =
        SurveyLanding.land(
            wide(""),
            "t/data.csv",
            "# Source: ACME\nCountry,Trust\n\n# none\n".getBytes(StandardCharsets.UTF_8));
    assertThat(l.cells()).isEmpty();
    assertThat(l.dataLines()).isZero();
    assertThat(l.rejected())
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.reason()).isEqualTo("empty_file");
              assertThat(r.line()).isZero();
              assertThat(r.cells()).isZero();
              assertThat(r.detail())
                  .contains(
                      "t/data.csv", "line 2", "no data lines", "re-export", "remove the file");
            });
  }

  @Test
  void duplicatedColumnTheDescriptorReadsQuarantinesEveryLineNamingBothPositions() {
    var l =
        SurveyLanding.land(
            wide(""),
            "t/data.csv",
            "Country,Trust,trust \nIndia,77,12\nChina,72,5\n".getBytes(StandardCharsets.UTF_8));
    assertThat(l.cells()).isEmpty();
    assertThat(l.rejected()).extracting(SurveyLanding.Rejected::line).containsExactly(2, 3);
    assertThat(l.rejected())
        .allSatisfy(
            r -> {
              assertThat(r.reason()).isEqualTo("schema_mismatch");
              assertThat(r.detail())
                  .contains(
                      "'Trust'",
                      "positions 2 and 3",
                      "t/data.csv",
                      "line 1",
                      "rename one of them in the file");
            });
  }

  @Test
  void headerStartingWithTheCommentPrefixIsTheHeaderWhenItHasEveryColumn() {
    var l =
        SurveyLanding.land(
            wide(""),
            "t/data.csv",
            "# Source: Edelman 2025\n#,Country,Trust\n1,India,77\n# note\n2,USA,32"
                .getBytes(StandardCharsets.UTF_8));
    assertThat(l.rejected()).isEmpty();
    assertThat(l.cells())
        .extracting(SurveyLanding.Cell::countryRaw)
        .containsExactly("India", "USA");
    assertThat(l.cells()).extracting(SurveyLanding.Cell::line).containsExactly(3, 5);
    assertThat(l.dataLines()).isEqualTo(2);
  }
}
