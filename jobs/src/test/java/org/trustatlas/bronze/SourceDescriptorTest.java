package org.trustatlas.bronze;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.trustatlas.config.ConfigException;

class SourceDescriptorTest {
  static final String GOOD =
      "source: demo_survey\npublisher: Demo\ntitle: Demo 2024\nwave: '2024'\n"
          + "fieldwork_end: 2024-05-03\nmode: online_panel\nlicence: CC-BY-4.0\n"
          + "citation_url: https://example.org\nfile: data.csv\nlayout: wide\n"
          + "country: {column: Country}\nmetrics:\n  - {column: Trust, metric: trust_in_ai}\n";

  @Test
  void parsesAMinimalWideDescriptor() {
    SourceDescriptor d = SourceDescriptor.parse("demo/source.yaml", GOOD);
    assertThat(d.source()).isEqualTo("demo_survey");
    assertThat(d.period()).isEqualTo(2024);
    assertThat(d.delimiter()).isEqualTo(',');
    assertThat(d.scale()).isEqualTo("percent");
    assertThat(d.metrics())
        .singleElement()
        .extracting(SourceDescriptor.MetricMapping::metric)
        .isEqualTo("trust_in_ai");
  }

  @Test
  void aTypodKeyNamesTheFileTheKeyAndTheFix() {
    assertThatThrownBy(
            () -> SourceDescriptor.parse("demo/source.yaml", GOOD.replace("layout:", "layuot:")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("demo/source.yaml")
        .hasMessageContaining("'layuot'")
        .hasMessageContaining("did you mean 'layout'");
  }

  @Test
  void missingAndInvalidValuesAreNamed() {
    assertThatThrownBy(
            () -> SourceDescriptor.parse("x.yaml", GOOD.replace("mode: online_panel\n", "")))
        .hasMessageContaining("key 'mode'");
    assertThatThrownBy(
            () -> SourceDescriptor.parse("x.yaml", GOOD.replace("2024-05-03", "May 2024")))
        .hasMessageContaining("fieldwork_end")
        .hasMessageContaining("ISO date");
    assertThatThrownBy(
            () ->
                SourceDescriptor.parse(
                    "x.yaml", GOOD.replace("metric: trust_in_ai", "metric: Trust In AI")))
        .hasMessageContaining("metrics[0].metric");
    assertThatThrownBy(() -> SourceDescriptor.parse("x.yaml", "source: [unclosed"))
        .hasMessageContaining("not valid YAML");
    assertThatThrownBy(
            () ->
                SourceDescriptor.parse(
                    "x.yaml", GOOD + "sample_size: {overall: 10, per_country: 5}\n"))
        .hasMessageContaining("only one of");
  }

  @Test
  void anEmptyCommentPrefixIsRejectedBecauseItWouldSkipEveryLine() {
    assertThatThrownBy(
            () ->
                SourceDescriptor.parse(
                    "demo/source.yaml", GOOD + "format: {comment_prefix: \"\"}\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("demo/source.yaml")
        .hasMessageContaining("key 'format.comment_prefix'")
        .hasMessageContaining("skip every line")
        .hasMessageContaining("omit the key");
    assertThat(SourceDescriptor.parse("demo/source.yaml", GOOD).commentPrefix()).isEqualTo("#");
  }

  @Test
  void aYamlSyntaxErrorNamesTheFileTheLineTheColumnAndTheCause() {
    String tabIndented =
        GOOD.replace("metrics:\n  - {column: Trust", "metrics:\n\t- {column: Trust");
    assertThatThrownBy(() -> SourceDescriptor.parse("demo/source.yaml", tabIndented))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("demo/source.yaml")
        .hasMessageContaining("not valid YAML")
        .hasMessageContaining("line 13, column 1")
        .hasMessageContaining("found character '\\t(TAB)' that cannot start any token")
        .hasMessageContaining("fix the syntax");
  }
}
