package org.trustatlas.generate;

import java.util.List;

/**
 * The dirt the synthetic logs carry, as row categories. Each row is in exactly one category, so a
 * reader's quarantine counts can be checked against GENERATED.md category by category.
 */
final class Dirt {
  private Dirt() {}

  static final String CLEAN = "clean";
  static final String DUPLICATE = "duplicate";
  static final String BOT = "bot_user_agent";
  static final String MISSING_COUNTRY = "missing_country";
  static final String MALFORMED_COUNTRY = "malformed_country";
  static final String UNKNOWN_MODEL = "unknown_model";
  static final String TRUNCATED = "truncated_line";
  static final String LATE = "late_event";
  static final String ERROR_STATUS = "error_status";
  static final String COUNTRY_ROW = "country_row";
  static final String ALTERNATE_SPELLING = "alternate_spelling";
  static final String AGGREGATE_ROW = "aggregate_row";

  /** Download categories in reporting order, with their target fractions (clean = the rest). */
  static final List<String> DOWNLOADS =
      List.of(
          CLEAN,
          DUPLICATE,
          BOT,
          MISSING_COUNTRY,
          MALFORMED_COUNTRY,
          UNKNOWN_MODEL,
          TRUNCATED,
          LATE);

  static final double[] DOWNLOAD_FRACTIONS = {0, 0.02, 0.05, 0.01, 0.005, 0.005, 0.001, 0.01};

  static final List<String> API =
      List.of(
          CLEAN, DUPLICATE, MISSING_COUNTRY, MALFORMED_COUNTRY, UNKNOWN_MODEL, LATE, ERROR_STATUS);

  static final double[] API_FRACTIONS = {0, 0.02, 0.01, 0.005, 0.005, 0.01, 0.03};

  static final List<String> APP_MAU = List.of(COUNTRY_ROW, ALTERNATE_SPELLING, AGGREGATE_ROW);

  /** Malformed geo-IP country codes: a reserved code, lower-case alpha-3, empty, one letter. */
  static final String[] MALFORMED_CODES = {"XX", "usa", "", "U"};

  /** Cumulative thresholds for drawing a category with one uniform number. */
  static double[] cumulative(double[] fractions) {
    double[] c = new double[fractions.length];
    double acc = 0;
    for (int i = 1; i < fractions.length; i++) {
      acc += fractions[i];
      c[i] = acc;
    }
    c[0] = 0;
    return c;
  }

  /** Index of the category for uniform {@code u}: 0 (clean) unless u falls in a dirt band. */
  static int draw(double[] cumulative, double u) {
    for (int i = 1; i < cumulative.length; i++) {
      if (u < cumulative[i]) {
        return i;
      }
    }
    return 0;
  }

  static final String[] NORMAL_AGENTS = {
    "huggingface_hub/0.27.1; python/3.11.9; torch/2.5.1",
    "huggingface_hub/0.26.5; python/3.10.12; torch/2.4.1; transformers/4.46.3",
    "huggingface_hub/0.28.1; python/3.12.8",
    "huggingface_hub/0.27.1; python/3.11.11; torch/2.5.1; transformers/4.48.0",
    "transformers/4.48.0; python/3.11.11",
    "transformers/4.47.1; python/3.10.16; torch/2.5.1",
    "git/2.43.0 git-lfs/3.4.1",
    "git/2.47.1 git-lfs/3.6.0",
    "hf_transfer/0.1.8; huggingface_hub/0.27.1; python/3.11.9",
    "vllm/0.6.6.post1; huggingface_hub/0.27.1; python/3.12.8",
    "llama-cpp/b4527",
    "LMStudio/0.3.8",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko)"
        + " Chrome/131.0.0.0 Safari/537.36",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko)"
        + " Version/18.2 Safari/605.1.15",
    "Mozilla/5.0 (X11; Linux x86_64; rv:134.0) Gecko/20100101 Firefox/134.0"
  };

  static final double[] NORMAL_AGENT_WEIGHTS = {18, 10, 8, 8, 8, 5, 6, 3, 5, 4, 4, 3, 9, 5, 4};

  /**
   * Bot and CI user agents. A reader recognises them case-insensitively by one of: {@code
   * python-requests}, {@code curl/}, {@code wget/}, {@code go-http-client}, {@code github-actions},
   * {@code gitlab-runner}, {@code bot} (Googlebot, bingbot), {@code ci=true}.
   */
  static final String[] BOT_AGENTS = {
    "python-requests/2.31.0",
    "curl/8.4.0",
    "Wget/1.21.4",
    "GitHub-Actions",
    "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
    "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)",
    "huggingface_hub/0.20.3; python/3.10.13; ci=true",
    "Go-http-client/1.1",
    "GitLab-Runner 17.7.0 (17-7-stable; go1.23.2; linux/amd64)"
  };

  static final List<String> BOT_PATTERNS =
      List.of(
          "python-requests",
          "curl/",
          "wget/",
          "go-http-client",
          "github-actions",
          "gitlab-runner",
          "bot",
          "ci=true");
}
