package org.trustatlas.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Reads the YAML configuration file into an {@link AtlasConfig.Builder}. Unknown keys and bad
 * values fail with the key and the fix; command-line flags are applied afterwards and win.
 */
public final class ConfigLoader {

  private static final Set<String> TOP =
      Set.of("input", "warehouse", "spark", "privacy", "gold", "countries", "quality", "s3");
  private static final Map<String, Set<String>> SECTIONS =
      Map.of(
          "spark", Set.of("master", "conf"),
          "privacy", Set.of("min_count_k", "salt", "salt_env"),
          "gold",
              Set.of(
                  "primary_trust_metric",
                  "primary_uptake_metric",
                  "max_age_periods",
                  "merge_credit"),
          "countries", Set.of("roll_up_greater_china"),
          "quality", Set.of("expectations"),
          "s3",
              Set.of(
                  "endpoint",
                  "region",
                  "path_style_access",
                  "ssl_enabled",
                  "credentials_provider",
                  "access_key_env",
                  "secret_key_env"));

  private ConfigLoader() {}

  /**
   * Defaults, then the file (if any), then the environment's salt; flags are applied by the caller.
   */
  public static AtlasConfig.Builder load(Path file, Map<String, String> env) {
    AtlasConfig.Builder b = AtlasConfig.builder();
    String saltEnv = "ATLAS_SALT";
    if (file != null) {
      if (!Files.isRegularFile(file)) {
        throw new ConfigException(
            "configuration file " + file + " does not exist: pass an existing file to --config");
      }
      JsonNode root;
      try {
        root = new ObjectMapper(new YAMLFactory()).readTree(file.toFile());
      } catch (IOException e) {
        throw new ConfigException(
            file + ": not valid YAML" + ConfigException.yamlProblem(e, "atlas.example.yaml"), e);
      }
      if (root == null || root.isNull() || root.isMissingNode()) {
        return b;
      }
      if (!root.isObject()) {
        throw new ConfigException(file + ": expected a mapping of settings at the top level");
      }
      checkKeys(file, "", root, TOP);
      text(file, root, "input").ifPresent(b::input);
      text(file, root, "warehouse").ifPresent(b::warehouse);
      for (Map.Entry<String, Set<String>> s : SECTIONS.entrySet()) {
        JsonNode sec = root.get(s.getKey());
        if (sec != null) {
          if (!sec.isObject()) {
            throw new ConfigException(
                file + ": '" + s.getKey() + "' must be a mapping, e.g. " + s.getKey() + ": {...}");
          }
          checkKeys(file, s.getKey() + ".", sec, s.getValue());
        }
      }
      JsonNode spark = root.path("spark");
      text(file, spark, "master", "spark.master").ifPresent(b::master);
      JsonNode conf = spark.path("conf");
      if (!conf.isMissingNode()) {
        if (!conf.isObject()) {
          throw new ConfigException(file + ": 'spark.conf' must map Spark keys to values");
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = conf.fields(); it.hasNext(); ) {
          Map.Entry<String, JsonNode> e = it.next();
          if (!e.getKey().startsWith("spark.")) {
            throw new ConfigException(
                file
                    + ": 'spark.conf."
                    + e.getKey()
                    + "' is not a Spark setting: keys start"
                    + " with 'spark.' (Hadoop settings as 'spark.hadoop.fs.s3a.…')");
          }
          b.sparkConf(e.getKey(), e.getValue().asText());
        }
      }
      JsonNode privacy = root.path("privacy");
      integer(file, privacy, "min_count_k", "privacy.min_count_k").ifPresent(b::minCountK);
      if (text(file, privacy, "salt", "privacy.salt").isPresent()) {
        throw new ConfigException(
            file
                + ": 'privacy.salt' holds a secret, and secrets are never read from the file:"
                + " put the salt in an environment variable (ATLAS_SALT, or the one named by"
                + " privacy.salt_env) and remove the key");
      }
      saltEnv = text(file, privacy, "salt_env", "privacy.salt_env").orElse(saltEnv);
      JsonNode gold = root.path("gold");
      text(file, gold, "primary_trust_metric", "gold.primary_trust_metric")
          .ifPresent(b::primaryTrustMetric);
      text(file, gold, "primary_uptake_metric", "gold.primary_uptake_metric")
          .ifPresent(b::primaryUptakeMetric);
      integer(file, gold, "max_age_periods", "gold.max_age_periods").ifPresent(b::maxAgePeriods);
      text(file, gold, "merge_credit", "gold.merge_credit")
          .ifPresent(
              v -> {
                switch (v.toLowerCase(Locale.ROOT)) {
                  case "fractional" -> b.mergeCredit(AtlasConfig.MergeCredit.FRACTIONAL);
                  case "full" -> b.mergeCredit(AtlasConfig.MergeCredit.FULL);
                  default ->
                      throw new ConfigException(
                          file + ": invalid value for 'gold.merge_credit': use fractional or full");
                }
              });
      JsonNode countries = root.path("countries");
      bool(file, countries, "roll_up_greater_china", "countries.roll_up_greater_china")
          .ifPresent(b::rollUpGreaterChina);
      JsonNode exp = root.path("quality").path("expectations");
      if (!exp.isMissingNode()) {
        if (!exp.isObject()) {
          throw new ConfigException(
              file + ": 'quality.expectations' must map expectation names to warn|drop|fail");
        }
        exp.fields().forEachRemaining(e -> b.expectationLevel(e.getKey(), e.getValue().asText()));
      }
      applyS3(file, root.path("s3"), b, env);
    }
    String salt = env.get(saltEnv);
    if (salt != null && !salt.isEmpty()) {
      b.salt(salt);
    }
    return b;
  }

  private static void applyS3(
      Path file, JsonNode s3, AtlasConfig.Builder b, Map<String, String> env) {
    if (s3.isMissingNode()) {
      return;
    }
    text(file, s3, "endpoint", "s3.endpoint")
        .ifPresent(v -> b.sparkConf("spark.hadoop.fs.s3a.endpoint", v));
    text(file, s3, "region", "s3.region")
        .ifPresent(v -> b.sparkConf("spark.hadoop.fs.s3a.endpoint.region", v));
    bool(file, s3, "path_style_access", "s3.path_style_access")
        .ifPresent(v -> b.sparkConf("spark.hadoop.fs.s3a.path.style.access", v.toString()));
    bool(file, s3, "ssl_enabled", "s3.ssl_enabled")
        .ifPresent(v -> b.sparkConf("spark.hadoop.fs.s3a.connection.ssl.enabled", v.toString()));
    text(file, s3, "credentials_provider", "s3.credentials_provider")
        .ifPresent(v -> b.sparkConf("spark.hadoop.fs.s3a.aws.credentials.provider", v));
    // Keys are named by environment variable, never written in the file itself.
    String akEnv = text(file, s3, "access_key_env", "s3.access_key_env").orElse(null);
    String skEnv = text(file, s3, "secret_key_env", "s3.secret_key_env").orElse(null);
    if (akEnv != null || skEnv != null) {
      String ak = akEnv == null ? null : env.get(akEnv);
      String sk = skEnv == null ? null : env.get(skEnv);
      if (ak == null || sk == null) {
        throw new ConfigException(
            file
                + ": s3.access_key_env / s3.secret_key_env name environment variables that are"
                + " not set: export "
                + (ak == null ? akEnv : skEnv)
                + " before the run");
      }
      b.sparkConf("spark.hadoop.fs.s3a.access.key", ak);
      b.sparkConf("spark.hadoop.fs.s3a.secret.key", sk);
      b.sparkConf(
          "spark.hadoop.fs.s3a.aws.credentials.provider",
          "org.apache.hadoop.fs.s3a.SimpleAWSCredentialsProvider");
    }
  }

  private static void checkKeys(Path file, String prefix, JsonNode node, Set<String> allowed) {
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      String k = it.next();
      if (!allowed.contains(k)) {
        String near = Suggest.closest(k, allowed);
        throw new ConfigException(
            file
                + ": unknown key '"
                + prefix
                + k
                + "'"
                + (near == null ? "" : " (did you mean '" + prefix + near + "'?)")
                + "; allowed here: "
                + List.copyOf(new java.util.TreeSet<>(allowed)));
      }
    }
  }

  private static java.util.Optional<String> text(Path file, JsonNode node, String key) {
    return text(file, node, key, key);
  }

  private static java.util.Optional<String> text(
      Path file, JsonNode node, String key, String full) {
    JsonNode v = node.get(key);
    if (v == null || v.isNull()) {
      return java.util.Optional.empty();
    }
    if (!v.isValueNode()) {
      throw new ConfigException(file + ": '" + full + "' must be a single value");
    }
    return java.util.Optional.of(v.asText());
  }

  private static java.util.Optional<Integer> integer(
      Path file, JsonNode node, String key, String full) {
    JsonNode v = node.get(key);
    if (v == null || v.isNull()) {
      return java.util.Optional.empty();
    }
    if (!v.canConvertToInt() || !(v.isInt() || v.asText().matches("-?\\d+"))) {
      throw new ConfigException(
          file + ": invalid value for '" + full + "': '" + v.asText() + "' is not a whole number");
    }
    return java.util.Optional.of(v.asInt());
  }

  private static java.util.Optional<Boolean> bool(
      Path file, JsonNode node, String key, String full) {
    JsonNode v = node.get(key);
    if (v == null || v.isNull()) {
      return java.util.Optional.empty();
    }
    String t = v.asText().toLowerCase(Locale.ROOT);
    if (!t.equals("true") && !t.equals("false")) {
      throw new ConfigException(
          file + ": invalid value for '" + full + "': use true or false, not '" + v.asText() + "'");
    }
    return java.util.Optional.of(Boolean.parseBoolean(t));
  }
}
