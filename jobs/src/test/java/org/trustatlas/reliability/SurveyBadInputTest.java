package org.trustatlas.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.trustatlas.testing.DatasetAssert.assertRows;
import static org.trustatlas.testing.DatasetAssert.row;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.trustatlas.bronze.SourceDescriptor;
import org.trustatlas.bronze.SurveyLanding;
import org.trustatlas.config.ConfigException;
import org.trustatlas.contract.Tables;
import org.trustatlas.reference.CountryLookup;
import org.trustatlas.reference.CountryResolver;
import org.trustatlas.silver.MeasuresTransform;
import org.trustatlas.testing.SparkTestSession;

/**
 * The bad-input corpus for survey and adoption tables and their descriptors: each case states the
 * exact outcome (a clear error, or cells with the expected reason) and conservation must hold.
 */
@ExtendWith(SparkTestSession.class)
class SurveyBadInputTest {
  static final String BASE =
      "source: t\npublisher: T\ntitle: T\nwave: '1'\nfieldwork_end: 2025-01-31\nmode: online_panel\n"
          + "licence: CC-BY-4.0\ncitation_url: https://example.org\nfile: data.csv\n";
  static final String WIDE =
      BASE
          + "layout: wide\ncountry: {column: Country}\nmetrics:\n  - {column: Trust, metric: trust_in_ai}\n";
  static final String LONG =
      BASE
          + "layout: long\ncountry: {column: Country}\nlong: {question_column: Q, value_column: V,"
          + " answer_column: A, answers: {agree: [Strongly agree, Somewhat agree], disagree: [Disagree]}}\n"
          + "metrics:\n  - {question: Trust AI, metric: trust_in_ai}\n";
  static final String CROSSTAB =
      BASE
          + "layout: crosstab\nmetrics:\n  - {question: Trust AI, metric: trust_in_ai}\n"
          + "crosstab: {question_column: Question, answer_column: Answer,"
          + " answers: {agree: [Strongly agree, Somewhat agree], disagree: [Disagree]}}\n";

  /** Great Britain and United Kingdom (and, rolled up, China, Hong Kong, Taiwan) twice. */
  static final String CROSSTAB_DOUBLED =
      "Question,Answer,China,Hong Kong,Taiwan,Great Britain,United Kingdom,France\n"
          + "Trust AI,Strongly agree,10%,10%,5%,10%,10%,10%\n"
          + "Trust AI,Somewhat agree,10%,10%,5%,10%,10%,20%\n"
          + "Trust AI,Disagree,10%,10%,10%,20%,20%,40%\n";

  static Arguments data(String name, String yaml, byte[] bytes, String expected) {
    return Arguments.of(name, yaml, bytes, expected);
  }

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  /** name, descriptor, file bytes, expected reason counts ("used=2 aggregate=1"). */
  static Stream<Arguments> cases() {
    return Stream.of(
        data("clean", WIDE, utf8("Country,Trust\nIndia,77%\nU.S.,32%\n"), "used=2"),
        data(
            "wrong delimiter",
            WIDE,
            utf8("Country;Trust\nIndia;77\nChina;72\n"),
            "schema_mismatch=2"),
        data("renamed column", WIDE, utf8("Country,Trust in AI\nIndia,77\n"), "schema_mismatch=1"),
        data("missing column", WIDE, utf8("Country\nIndia\n"), "schema_mismatch=1"),
        data(
            "duplicated value column",
            WIDE,
            utf8("Country,Trust,trust \nIndia,77,12\nChina,72,5\n"),
            "schema_mismatch=2"),
        data(
            "duplicated country column",
            WIDE,
            utf8("Country,Trust,COUNTRY\nIndia,77,Brazil\n"),
            "schema_mismatch=1"),
        data(
            "long layout duplicated value column",
            LONG,
            utf8("Country,Q,A,V,v\nIndia,Trust AI,Strongly agree,40,4\n"),
            "schema_mismatch=1"),
        data(
            "duplicated column the descriptor does not read",
            WIDE,
            utf8("Country,Trust,Notes,notes\nIndia,77,a,b\n"),
            "used=1"),
        data(
            "extra column on one line",
            WIDE,
            utf8("Country,Trust\nIndia,77,9\nChina,72\n"),
            "malformed_line=1 used=1"),
        data(
            "trailing empty fields are fine",
            WIDE,
            utf8("Country,Trust,,\nIndia,77,,\n"),
            "used=1"),
        data("header-less file", WIDE, utf8("India,77\nChina,72\n"), "schema_mismatch=1"),
        data(
            "header starting with the comment prefix (rank column)",
            WIDE,
            utf8("#,Country,Trust\n1,India,77\n2,China,72\n"),
            "used=2"),
        data(
            "comment-prefixed header under a note, comment below it",
            WIDE,
            utf8("# Source: T 2025\n#,Country,Trust\n1,India,77\n# 2 rows withheld\n"),
            "used=1"),
        data(
            "comment-prefixed header line below the header stays a comment",
            WIDE,
            utf8("Country,Trust\nIndia,77\n#,Country,Trust\n"),
            "used=1"),
        data("UTF-8 byte-order mark", WIDE, utf8("\uFEFFCountry,Trust\nTürkiye,66\n"), "used=1"),
        data(
            "Latin-1 read as UTF-8",
            WIDE,
            "Country,Trust\nTürkiye,66\nIndia,77\n".getBytes(StandardCharsets.ISO_8859_1),
            "encoding_error=1 used=1"),
        data(
            "Latin-1 declared",
            WIDE + "format: {encoding: ISO-8859-1}\n",
            "Country,Trust\nTürkiye,66\n".getBytes(StandardCharsets.ISO_8859_1),
            "used=1"),
        data(
            "Mac-Roman read as UTF-8",
            WIDE,
            "Country,Trust\nTürkiye,66\n".getBytes(Charset.forName("x-MacRoman")),
            "encoding_error=1"),
        data(
            "Mac-Roman declared",
            WIDE + "format: {encoding: x-MacRoman}\n",
            "Country,Trust\nTürkiye,66\n".getBytes(Charset.forName("x-MacRoman")),
            "used=1"),
        data("mis-decoded name", WIDE, utf8("Country,Trust\nT?rkiye,66\n"), "unresolved_country=1"),
        data("percent with spaces", WIDE, utf8("Country,Trust\nIndia, 77 % \n"), "used=1"),
        data("decimal comma", WIDE, utf8("Country,Trust\nIndia,\"77,5\"\n"), "used=1"),
        data(
            "thousands comma is not a share",
            WIDE,
            utf8("Country,Trust\nIndia,\"1,000\"\n"),
            "bad_value=1"),
        data("over 100", WIDE, utf8("Country,Trust\nIndia,101\n"), "bad_value=1"),
        data("negative", WIDE, utf8("Country,Trust\nIndia,-3\n"), "bad_value=1"),
        data("blank", WIDE, utf8("Country,Trust\nIndia,\n"), "missing_value=1"),
        data("n/a", WIDE, utf8("Country,Trust\nIndia,n/a\n"), "missing_value=1"),
        data("em dash", WIDE, utf8("Country,Trust\nIndia,—\n"), "missing_value=1"),
        data("asterisk", WIDE, utf8("Country,Trust\nIndia,*\n"), "missing_value=1"),
        data("bound, not a value", WIDE, utf8("Country,Trust\nIreland,<30%\n"), "bad_value=1"),
        data("map bin, not a value", WIDE, utf8("Country,Trust\nEthiopia,16-20%\n"), "bad_value=1"),
        data(
            "duplicated row",
            WIDE,
            utf8("Country,Trust\nIndia,77\nIndia,77\n"),
            "duplicate=1 used=1"),
        data(
            "two spellings of one country",
            WIDE,
            utf8("Country,Trust\nUK,36\nUnited Kingdom,36\n"),
            "duplicate=1 used=1"),
        data(
            "aggregate rows",
            WIDE,
            utf8("Country,Trust\nGlobal 28,49\nGlobal Country Average,55\nmedian,50\nIndia,77\n"),
            "aggregate=3 used=1"),
        data("ambiguous Congo", WIDE, utf8("Country,Trust\nCongo,50\n"), "ambiguous_country=1"),
        data(
            "pinned Congo",
            WIDE.replace("{column: Country}", "{column: Country, pins: {Congo: COG}}"),
            utf8("Country,Trust\nCongo,50\n"),
            "used=1"),
        data("unknown country", WIDE, utf8("Country,Trust\nAtlantis,50\n"), "unresolved_country=1"),
        data("empty file", WIDE, new byte[0], "empty_file=0"),
        data("header and no data lines", WIDE, utf8("Country,Trust\n"), "empty_file=0"),
        data(
            "header and only blank and comment lines",
            WIDE,
            utf8("# Source: T\nCountry,Trust\n\n# no rows this wave\n  \n"),
            "empty_file=0"),
        data("unterminated quote", WIDE, utf8("Country,Trust\n\"India,77\n"), "malformed_line=1"),
        data(
            "fraction scale",
            WIDE + "values: {scale: fraction}\n",
            utf8("Country,Trust\nIndia,0.77\nChina,72%\n"),
            "used=2"),
        data(
            "long layout sums printed answers",
            LONG,
            utf8(
                "Country,Q,A,V\nIndia,Trust AI,Strongly agree,40\nIndia,Trust AI,Somewhat agree,37\nIndia,Trust AI,Disagree,20\n"),
            "used=3"),
        data(
            "long layout unknown question",
            LONG,
            utf8("Country,Q,A,V\nIndia,Other item,Strongly agree,40\n"),
            "unmapped_question=1"),
        data(
            "long layout unknown answer",
            LONG,
            utf8("Country,Q,A,V\nIndia,Trust AI,Maybe,40\n"),
            "unmapped_answer=1"),
        data(
            "disagree without agree",
            LONG,
            utf8("Country,Q,A,V\nIndia,Trust AI,Disagree,20\n"),
            "orphan_answer=1"),
        data(
            "long layout with a missing agree part publishes no partial sum",
            LONG,
            utf8(
                "Country,Q,A,V\nUSA,Trust AI,Strongly agree,20%\nUSA,Trust AI,Somewhat agree,n/a\n"),
            "incomplete_sum=1 missing_value=1"),
        data(
            "wide columns summed into one share, one missing",
            BASE
                + "layout: wide\ncountry: {column: Country}\nmetrics:\n"
                + "  - {column: A1, metric: trust_in_ai}\n  - {column: A2, metric: trust_in_ai}\n"
                + "  - {column: D, metric: trust_in_ai, answer: disagree}\n",
            utf8("Country,A1,A2,D\nUSA,15,n/a,40\n"),
            "incomplete_sum=2 missing_value=1"),
        data(
            "crosstab answers summed into one share, one missing",
            BASE
                + "layout: crosstab\nmetrics:\n  - {question: Trust AI, metric: trust_in_ai}\n"
                + "crosstab: {question_column: Q, answer_column: A,"
                + " answers: {agree: [Strongly agree, Somewhat agree]}}\n",
            utf8("Q,A,India,USA\nTrust AI,Strongly agree,40,20\nTrust AI,Somewhat agree,37,n/a\n"),
            "incomplete_sum=1 missing_value=1 used=2"),
        data(
            "crosstab margin-of-error column is no country",
            BASE
                + "layout: crosstab\nmargin_of_error: {column: MoE}\n"
                + "metrics:\n  - {question: Trust AI, metric: trust_in_ai}\n"
                + "crosstab: {question_column: Q}\n",
            utf8("Q,India,USA,MoE\nTrust AI,77,32,3.1\n"),
            "used=2"),
        data(
            "crosstab: one country in two columns is printed twice, not summed",
            CROSSTAB,
            utf8(CROSSTAB_DOUBLED),
            "duplicate=3 used=15"),
        data(
            "crosstab: one country in two columns would sum over 100",
            CROSSTAB,
            utf8(
                "Question,Answer,South Africa,ZA\nTrust AI,Strongly agree,40,40\n"
                    + "Trust AI,Somewhat agree,20,20\nTrust AI,Disagree,30,30\n"),
            "duplicate=3 used=3"),
        data(
            "crosstab: the first column of a country wins even when a cell of it is missing",
            CROSSTAB,
            utf8(
                "Question,Answer,UK,Great Britain\nTrust AI,Strongly agree,n/a,40\n"
                    + "Trust AI,Somewhat agree,20,20\nTrust AI,Disagree,30,30\n"),
            "duplicate=3 incomplete_sum=2 missing_value=1"),
        data(
            "undeclared UTF-16 with its byte-order mark",
            WIDE,
            "\uFEFFCountry,Trust\r\nIndia,77%\r\nC\u00f4te d\u2019Ivoire,40%\r\n"
                .getBytes(StandardCharsets.UTF_16LE),
            "used=2"),
        data(
            "undeclared UTF-16 without a byte-order mark, little-endian",
            WIDE,
            "Country,Trust\r\nIndia,77%\r\nC\u00f4te d\u2019Ivoire,40%\r\n"
                .getBytes(StandardCharsets.UTF_16LE),
            "used=2"),
        data(
            "undeclared UTF-16 without a byte-order mark, big-endian",
            WIDE,
            "Country,Trust\nIndia,77%\nChina,40%\n".getBytes(StandardCharsets.UTF_16BE),
            "used=2"),
        data(
            "a stray quote that never closes swallows no row",
            WIDE,
            utf8("Country,Trust\nIndia,77%\n\"China,40%\nBrazil,30%\n\nJapan,20%\n"),
            "malformed_line=1 used=3"),
        data(
            "a stray quote closed lines later swallows no row",
            WIDE,
            utf8("Country,Trust\n\"India,77%\nChina,40%\nBrazil,30%\"\nJapan,20%\n"),
            "bad_value=1 malformed_line=1 used=2"),
        data(
            "a field spanning lines is no stray quote",
            LONG,
            utf8(
                "Country,Q,A,V\nIndia,\"Trust\nAI\",Strongly agree,40%\n"
                    + "India,Trust AI,Disagree,30%\n"),
            "used=2"),
        data(
            "Java number syntax is not a share",
            WIDE,
            utf8("Country,Trust\nIndia,45d\nChina,45f\nBrazil,0x1p4\nJapan,1e1\n"),
            "bad_value=4"),
        data(
            "no-break spaces around a missing marker",
            WIDE,
            utf8("Country,Trust\nIndia,n/a\u00A0\nChina,\u00A0\n"),
            "missing_value=2"),
        data(
            "adoption % strings",
            WIDE,
            utf8(
                "Country,Trust\nUnited Arab Emirates,59.4%\nCote D'Ivoire,8.7%\nCongo (DRC),6.4%\n"),
            "used=3"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void everyCellIsAccountedForWithTheExpectedReason(
      String name, String yaml, byte[] bytes, String expected) {
    SourceDescriptor d = SourceDescriptor.parse("case/source.yaml", yaml);
    SurveyLanding.Landed landed = SurveyLanding.land(d, "case/data.csv", bytes);
    Map<String, Long> got = new TreeMap<>();
    for (SurveyLanding.Rejected r : landed.rejected()) {
      got.merge(r.reason(), r.cells(), Long::sum);
    }
    assertThat(landed.dataLines())
        .isEqualTo(
            landed.linesLanded() + landed.rejected().stream().filter(r -> r.line() > 0).count());
    if (!landed.cells().isEmpty()) {
      for (Row r :
          measure(d, landed, false).cells().groupBy("cell_status").count().collectAsList()) {
        got.merge(r.getString(0), r.getLong(1), Long::sum);
      }
    }
    Map<String, Long> want = new TreeMap<>();
    for (String kv : expected.split(" ")) {
      String[] p = kv.split("=");
      want.put(p[0], Long.parseLong(p[1]));
    }
    assertThat(got).as(name).isEqualTo(want);
  }

  @Test
  void crosstabCountryInTwoColumnsIsTakenFromTheFirstColumnOnly() {
    SourceDescriptor d = SourceDescriptor.parse("case/source.yaml", CROSSTAB);
    SurveyLanding.Landed landed = SurveyLanding.land(d, "case/data.csv", utf8(CROSSTAB_DOUBLED));
    MeasuresTransform.Result apart = measure(d, landed, false);
    assertRows(
        apart.measures(),
        List.of("country_iso3", "value", "disagree_share", "country_raw"),
        row("CHN", 20.0, 10.0, "China"),
        row("HKG", 20.0, 10.0, "Hong Kong"),
        row("TWN", 10.0, 10.0, "Taiwan"),
        row("GBR", 20.0, 20.0, "Great Britain"),
        row("FRA", 30.0, 40.0, "France"));
    assertRows(
        apart.cells().where("cell_status <> 'used'"),
        List.of("line", "column_name", "cell_status", "kept_at"),
        row(2, "United Kingdom", "duplicate", "column \"Great Britain\""),
        row(3, "United Kingdom", "duplicate", "column \"Great Britain\""),
        row(4, "United Kingdom", "duplicate", "column \"Great Britain\""));
    MeasuresTransform.Result rolledUp = measure(d, landed, true);
    assertRows(
        rolledUp.measures(),
        List.of("country_iso3", "value", "disagree_share", "country_raw"),
        row("CHN", 20.0, 10.0, "China"),
        row("GBR", 20.0, 20.0, "Great Britain"),
        row("FRA", 30.0, 40.0, "France"));
    assertRows(
        rolledUp.cells().groupBy("column_name", "cell_status").count(),
        List.of("column_name", "cell_status", "count"),
        row("China", "used", 3L),
        row("Hong Kong", "duplicate", 3L),
        row("Taiwan", "duplicate", 3L),
        row("Great Britain", "used", 3L),
        row("United Kingdom", "duplicate", 3L),
        row("France", "used", 3L));
  }

  /** The landed cells through the resolver (with the roll-up setting) and MeasuresTransform. */
  static MeasuresTransform.Result measure(
      SourceDescriptor d, SurveyLanding.Landed landed, boolean rollUpGreaterChina) {
    SparkSession spark = SparkTestSession.get();
    List<Row> rows = new ArrayList<>();
    for (SurveyLanding.Cell c : landed.cells()) {
      rows.add(
          org.trustatlas.bronze.SurveyBronzeJob.cellRow(
              "t", "1", "case", "case/data.csv", c, "run"));
    }
    Dataset<Row> cells =
        spark
            .createDataFrame(rows, Tables.SURVEY_CELLS.schema())
            .withColumn("scope", org.apache.spark.sql.functions.lit("t/1"));
    Dataset<Row> resolved =
        CountryLookup.resolve(
                cells,
                "country_raw",
                "scope",
                Map.of("t/1", d.pins()),
                CountryResolver.load(rollUpGreaterChina))
            .drop("scope", "country_via");
    Dataset<Row> sources =
        spark.sql(
            "SELECT 't' source, '1' wave, 'case' folder, 2025 period, CAST(NULL AS DATE) fieldwork_start,"
                + " DATE'2025-01-31' fieldwork_end, 'online_panel' mode, 'CC-BY-4.0' licence, true redistributable,"
                + " CAST(NULL AS STRING) republishes, 'T' publisher, 'u' citation_url, '"
                + d.scale()
                + "' scale, "
                + d.decimalComma()
                + " decimal_comma, CAST(NULL AS INT) n_per_country, CAST(NULL AS INT) n_overall,"
                + " CAST(NULL AS MAP<STRING,INT>) n_by_country, CAST(NULL AS DOUBLE) moe_overall");
    return MeasuresTransform.build(resolved, sources);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("descriptorErrors")
  void descriptorErrorsNameTheFileTheKeyAndTheFix(String name, String yaml, String mustContain) {
    assertThatThrownBy(() -> SourceDescriptor.parse("surveys/x/source.yaml", yaml))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("surveys/x/source.yaml")
        .hasMessageContaining(mustContain);
  }

  static Stream<Arguments> descriptorErrors() {
    return Stream.of(
        Arguments.of("typo'd key", WIDE.replace("licence:", "licnece:"), "did you mean 'licence'"),
        Arguments.of(
            "typo'd nested key",
            WIDE + "format: {delimter: ';'}\n",
            "did you mean 'format.delimiter'"),
        Arguments.of("missing required key", WIDE.replace("publisher: T\n", ""), "key 'publisher'"),
        Arguments.of("bad date", WIDE.replace("2025-01-31", "31/01/2025"), "fieldwork_end"),
        Arguments.of("bad layout", WIDE.replace("layout: wide", "layout: pivot"), "layout"),
        Arguments.of("bad mode", WIDE.replace("mode: online_panel", "mode: phone"), "mode"),
        Arguments.of("YAML syntax", "source: [", "not valid YAML"),
        Arguments.of(
            "two sample sizes",
            WIDE + "sample_size: {overall: 1000, per_country: 500}\n",
            "only one of"),
        Arguments.of("bad encoding", WIDE + "format: {encoding: UTF-9}\n", "format.encoding"),
        Arguments.of(
            "bad pin",
            WIDE.replace("{column: Country}", "{column: Country, pins: {Congo: Brazzaville}}"),
            "country.pins.Congo"),
        Arguments.of(
            "pin to a code that is no country",
            WIDE.replace("{column: Country}", "{column: Country, pins: {Korea: KRO}}"),
            "key 'country.pins.Korea': KRO is no country code in reference/countries.csv;"
                + " did you mean KOR or PRK?"),
        Arguments.of(
            "pin of a resolvable spelling to a code that is no country",
            WIDE.replace("{column: Country}", "{column: Country, pins: {Congo (DRC): XYZ}}"),
            "key 'country.pins.Congo (DRC)': XYZ is no country code in reference/countries.csv;"
                + " did you mean COD?"));
  }
}
