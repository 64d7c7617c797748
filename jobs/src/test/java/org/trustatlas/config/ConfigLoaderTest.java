package org.trustatlas.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
  @TempDir Path dir;

  private Path write(String yaml) throws IOException {
    Path f = dir.resolve("atlas.yaml");
    Files.writeString(f, yaml);
    return f;
  }

  @Test
  void readsEverySectionAndKeepsDefaultsElsewhere() throws IOException {
    AtlasConfig c =
        ConfigLoader.load(
                write(
                    "input: in\nwarehouse: wh\nprivacy: {min_count_k: 25}\n"
                        + "gold: {primary_trust_metric: trust_in_ai, merge_credit: full}\n"
                        + "countries: {roll_up_greater_china: true}\n"
                        + "spark: {conf: {spark.sql.shuffle.partitions: '16'}}\n"),
                Map.of())
            .build();
    assertThat(c.input()).isEqualTo("in");
    assertThat(c.warehouse()).isEqualTo("wh");
    assertThat(c.minCountK()).isEqualTo(25);
    assertThat(c.primaryTrustMetric()).isEqualTo("trust_in_ai");
    assertThat(c.mergeCredit()).isEqualTo(AtlasConfig.MergeCredit.FULL);
    assertThat(c.rollUpGreaterChina()).isTrue();
    assertThat(c.sparkConf()).containsEntry("spark.sql.shuffle.partitions", "16");
    assertThat(c.maxAgePeriods()).isEqualTo(1);
  }

  @Test
  void aYamlSyntaxErrorNamesTheLineTheColumnAndTheCause() throws IOException {
    Path f = write("privacy:\n\tmin_count_k: 5\n");
    assertThatThrownBy(() -> ConfigLoader.load(f, Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(f + ": not valid YAML at line 2, column 1")
        .hasMessageContaining("TAB")
        .hasMessageContaining("see atlas.example.yaml");
  }

  @Test
  void unknownKeyNamesTheKeyAndSuggestsTheFix() throws IOException {
    Path f = write("privacy: {min_cuont_k: 5}\n");
    assertThatThrownBy(() -> ConfigLoader.load(f, Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(f.toString())
        .hasMessageContaining("privacy.min_cuont_k")
        .hasMessageContaining("did you mean 'privacy.min_count_k'");
  }

  @Test
  void badValuesNameTheKey() throws IOException {
    Path f = write("gold: {max_age_periods: two}\n");
    assertThatThrownBy(() -> ConfigLoader.load(f, Map.of()))
        .hasMessageContaining("gold.max_age_periods")
        .hasMessageContaining("whole number");
    assertThatThrownBy(
            () -> ConfigLoader.load(write("privacy: {min_count_k: 0}\n"), Map.of()).build())
        .hasMessageContaining("privacy.min_count_k");
  }

  @Test
  void secretsComeFromTheEnvironmentAndAreNeverDescribed() throws IOException {
    Path f =
        write("s3: {endpoint: 'http://127.0.0.1:9000', access_key_env: AK, secret_key_env: SK}\n");
    AtlasConfig c =
        ConfigLoader.load(
                f, Map.of("AK", "key-id-123", "SK", "very-secret-456", "ATLAS_SALT", "pepper-789"))
            .build();
    assertThat(c.sparkConf()).containsEntry("spark.hadoop.fs.s3a.secret.key", "very-secret-456");
    assertThat(c.salt()).isEqualTo("pepper-789");
    assertThat(c.describe().toString())
        .doesNotContain("very-secret-456")
        .doesNotContain("pepper-789");
    assertThatThrownBy(() -> ConfigLoader.load(f, Map.of())).hasMessageContaining("export AK");
    assertThatThrownBy(() -> ConfigLoader.load(write("privacy: {salt: pepper}\n"), Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("privacy.salt")
        .hasMessageContaining("never read from the file")
        .hasMessageNotContaining("pepper");
  }

  @Test
  void missingFileIsAConfigurationError() {
    assertThatThrownBy(() -> ConfigLoader.load(dir.resolve("nope.yaml"), Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("does not exist");
  }
}
