package org.trustatlas.contract;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.types.StructType;

/** Every table Trust Atlas writes, in one place: the names analysts see are the contract. */
public final class Tables {
  private Tables() {}

  public static final TableSpec SURVEY_CELLS =
      new TableSpec(
          "bronze.survey_cells",
          "Survey and adoption table cells as landed: one row per data cell, text untouched.",
          StructType.fromDDL(
              "source STRING NOT NULL COMMENT 'Series id from the source descriptor',"
                  + "wave STRING NOT NULL COMMENT 'Wave of the series (one data file)',"
                  + "folder STRING NOT NULL COMMENT 'Source folder under <input>/surveys',"
                  + "file STRING NOT NULL COMMENT 'Data file path as read',"
                  + "line INT NOT NULL COMMENT '1-based physical line of the row in the file',"
                  + "column_name STRING COMMENT 'Header of the cell column',"
                  + "country_raw STRING COMMENT 'Country as the source spells it',"
                  + "question_raw STRING COMMENT 'Question or column label as printed',"
                  + "answer STRING COMMENT 'agree, neutral or disagree (mapped from the printed answer)',"
                  + "answer_raw STRING COMMENT 'Answer as printed (long and crosstab layouts)',"
                  + "metric STRING COMMENT 'Canonical metric the descriptor maps the cell to',"
                  + "value_raw STRING COMMENT 'Cell text as printed',"
                  + "n_raw STRING COMMENT 'Sample size text for the row, if any',"
                  + "moe_raw STRING COMMENT 'Margin of error text for the row, if any',"
                  + "raw STRING COMMENT 'The whole input line',"
                  + "run_id STRING NOT NULL COMMENT 'Run that landed the cell',"
                  + "column_index INT COMMENT '0-based position of the cell column in the header'"),
          List.of("source"),
          List.of("folder", "line", "column_name"),
          Map.of());

  public static final TableSpec SURVEY_SOURCES =
      new TableSpec(
          "bronze.survey_sources",
          "Source descriptors as landed: one row per source wave (folder).",
          StructType.fromDDL(
              "source STRING NOT NULL COMMENT 'Series id',"
                  + "wave STRING NOT NULL COMMENT 'Wave',"
                  + "folder STRING NOT NULL COMMENT 'Source folder',"
                  + "publisher STRING NOT NULL COMMENT 'Publisher',"
                  + "title STRING NOT NULL COMMENT 'Title',"
                  + "fieldwork_start DATE COMMENT 'Fieldwork start',"
                  + "fieldwork_end DATE NOT NULL COMMENT 'Fieldwork end',"
                  + "period INT NOT NULL COMMENT 'Calendar year of fieldwork end',"
                  + "mode STRING NOT NULL COMMENT 'Survey mode',"
                  + "licence STRING NOT NULL COMMENT 'Licence',"
                  + "redistributable BOOLEAN NOT NULL COMMENT 'May be republished',"
                  + "citation_url STRING NOT NULL COMMENT 'Citation URL',"
                  + "republishes STRING COMMENT 'Source republished by this one',"
                  + "scale STRING NOT NULL COMMENT 'percent or fraction',"
                  + "decimal_comma BOOLEAN NOT NULL COMMENT 'Comma as decimal separator',"
                  + "n_per_country INT COMMENT 'n in every country',"
                  + "n_overall INT COMMENT 'Total n only',"
                  + "n_by_country MAP<STRING,INT> COMMENT 'n per country as printed',"
                  + "moe_overall DOUBLE COMMENT 'Margin of error for every country',"
                  + "pins MAP<STRING,STRING> COMMENT 'Country spellings pinned by the descriptor',"
                  + "descriptor STRING NOT NULL COMMENT 'Descriptor text as landed',"
                  + "run_id STRING NOT NULL COMMENT 'Run that landed it'"),
          List.of(),
          List.of("source", "wave"),
          Map.of());

  public static final TableSpec DOWNLOAD_EVENTS =
      new TableSpec(
              "bronze.download_events",
              "Model-hub download events as landed, typed. No IP address or user agent: a salted hash"
                  + " of the client and the user-agent class only.",
              StructType.fromDDL(
                  "partition_date DATE NOT NULL COMMENT 'Log partition the line came from',"
                      + "file STRING NOT NULL COMMENT 'Input file',"
                      + "line BIGINT NOT NULL COMMENT '1-based line in the (decompressed) file',"
                      + "request_id STRING COMMENT 'Request id',"
                      + "ts TIMESTAMP COMMENT 'Event time (UTC)',"
                      + "event_date DATE COMMENT 'UTC date of ts (late events differ from partition_date)',"
                      + "model_id STRING COMMENT 'Model downloaded',"
                      + "file_name STRING COMMENT 'File downloaded',"
                      + "client_hash STRING COMMENT 'sha256(salt || client IP): de-duplication only',"
                      + "country_code STRING COMMENT 'Geo-IP country code as logged',"
                      + "ua_class STRING COMMENT 'client, bot or ci (from the user agent, which is dropped)',"
                      + "run_id STRING NOT NULL COMMENT 'Run that landed the row'"),
              List.of("partition_date"),
              List.of("partition_date", "file", "line"),
              Map.of())
          // Statistics of the event date only: silver selects by it.
          .withStatsColumns("event_date");

  public static final TableSpec API_REQUESTS =
      new TableSpec(
              "bronze.api_requests",
              "API request logs as landed, typed. No user id: a salted hash only.",
              StructType.fromDDL(
                  "partition_date DATE NOT NULL COMMENT 'Log partition',"
                      + "file STRING NOT NULL COMMENT 'Input file',"
                      + "line BIGINT NOT NULL COMMENT '1-based row in the file',"
                      + "request_id STRING COMMENT 'Request id',"
                      + "ts TIMESTAMP COMMENT 'Event time (UTC)',"
                      + "event_date DATE COMMENT 'UTC date of ts',"
                      + "model_id STRING COMMENT 'Model called',"
                      + "client_hash STRING COMMENT 'sha256(salt || user id): de-duplication only',"
                      + "country_code STRING COMMENT 'Country code as logged',"
                      + "tokens_in BIGINT COMMENT 'Input tokens',"
                      + "tokens_out BIGINT COMMENT 'Output tokens',"
                      + "status INT COMMENT 'HTTP status',"
                      + "run_id STRING NOT NULL COMMENT 'Run that landed the row'"),
              List.of("partition_date"),
              List.of("partition_date", "file", "line"),
              Map.of())
          // Statistics of the event date only: silver selects by it.
          .withStatsColumns("event_date");

  public static final TableSpec APP_MAU =
      new TableSpec(
          "bronze.app_mau",
          "App monthly active users as landed.",
          StructType.fromDDL(
              "partition_date DATE NOT NULL COMMENT 'Log partition',"
                  + "file STRING NOT NULL COMMENT 'Input file',"
                  + "line BIGINT NOT NULL COMMENT '1-based line in the file',"
                  + "month STRING COMMENT 'Month as logged (YYYY-MM)',"
                  + "app STRING COMMENT 'App',"
                  + "country STRING COMMENT 'Country as logged (a name)',"
                  + "monthly_active_users_raw STRING COMMENT 'MAU as logged',"
                  + "run_id STRING NOT NULL COMMENT 'Run that landed the row'"),
          List.of("partition_date"),
          List.of("partition_date", "file", "line"),
          Map.of());

  public static final TableSpec COUNTRIES =
      new TableSpec(
          "silver.countries",
          "ISO 3166-1 countries (plus Kosovo XKX) with region, World Bank income group, population"
              + " and internet users; see reference/SOURCES.md for provenance.",
          StructType.fromDDL(
              "iso3 STRING NOT NULL COMMENT 'ISO 3166-1 alpha-3 (XKX for Kosovo)',"
                  + "iso2 STRING COMMENT 'ISO 3166-1 alpha-2',"
                  + "numeric STRING COMMENT 'ISO 3166-1 numeric, 3 digits',"
                  + "short_name STRING NOT NULL COMMENT 'Short English name',"
                  + "formal_name STRING COMMENT 'Formal English name',"
                  + "region STRING COMMENT 'World Bank region',"
                  + "income_group STRING COMMENT 'World Bank income group FY2026',"
                  + "developing BOOLEAN COMMENT 'True for low and middle income (not High income)',"
                  + "population BIGINT COMMENT 'Population, latest year available',"
                  + "population_year INT COMMENT 'Year of the population figure',"
                  + "internet_users BIGINT COMMENT 'Internet users, latest year available',"
                  + "internet_users_year INT COMMENT 'Year of the internet users figure',"
                  + "source STRING COMMENT 'Where the population and internet figures come from'"),
          List.of(),
          List.of("iso3"),
          Map.of("iso3_format", "iso3 RLIKE '^[A-Z]{3}$'"));

  public static final TableSpec MODELS =
      new TableSpec(
          "silver.models",
          "Model registry with each model's resolved root(s): one row per model and root, with the"
              + " credit the root receives and the attribution path.",
          StructType.fromDDL(
              "model_id STRING NOT NULL COMMENT 'Hub model id (org/name)',"
                  + "family STRING COMMENT 'Model family',"
                  + "developer STRING COMMENT 'Developer or uploader of this model',"
                  + "developer_country STRING COMMENT 'ISO3 of this model developer, if known',"
                  + "open_weights BOOLEAN NOT NULL COMMENT 'Weights downloadable',"
                  + "licence STRING COMMENT 'Licence as published',"
                  + "release_date DATE COMMENT 'Release date',"
                  + "relation STRING COMMENT 'finetune, quantized, adapter, merge; null for a root',"
                  + "parents ARRAY<STRING> COMMENT 'base_model parents (empty for a root)',"
                  + "root_model_id STRING NOT NULL COMMENT 'A root this model descends from',"
                  + "credit DOUBLE NOT NULL COMMENT 'Share of a download credited to this root',"
                  + "depth INT NOT NULL COMMENT 'Steps from the model to the root',"
                  + "path STRING NOT NULL COMMENT 'Attribution path: model > parent > ... > root',"
                  + "root_developer STRING COMMENT 'Developer of the root',"
                  + "origin_iso3 STRING COMMENT 'Developer country of the root (the origin)'"),
          List.of(),
          List.of("model_id", "root_model_id"),
          Map.of("credit_range", "credit > 0 AND credit <= 1", "depth_nonneg", "depth >= 0"));

  public static final TableSpec COUNTRY_MEASURES =
      new TableSpec(
          "silver.country_measures",
          "Harmonised survey and adoption measures: country x source x wave x metric, value in"
              + " percent with its interval and provenance.",
          StructType.fromDDL(
              "country_iso3 STRING NOT NULL COMMENT 'Resolved country, ISO 3166-1 alpha-3',"
                  + "source STRING NOT NULL COMMENT 'Series id',"
                  + "wave STRING NOT NULL COMMENT 'Wave of the series',"
                  + "period INT NOT NULL COMMENT 'Calendar year in which the wave fieldwork ended',"
                  + "metric STRING NOT NULL COMMENT 'Canonical metric',"
                  + "value DOUBLE NOT NULL COMMENT 'Published share, percent (0-100)',"
                  + "neutral_share DOUBLE COMMENT 'Middle answer share, percent, where published',"
                  + "disagree_share DOUBLE COMMENT 'Disagree share, percent, where published',"
                  + "n INT COMMENT 'Sample size behind the value',"
                  + "n_basis STRING COMMENT 'per_country, or overall_even_split when only a total n is published',"
                  + "moe DOUBLE COMMENT 'Published margin of error, percentage points',"
                  + "ci_low DOUBLE COMMENT 'Lower 95% bound, percent (Wilson where n is known, else value - moe)',"
                  + "ci_high DOUBLE COMMENT 'Upper 95% bound, percent',"
                  + "ci_method STRING COMMENT 'wilson, moe or null',"
                  + "fieldwork_start DATE COMMENT 'Fieldwork start',"
                  + "fieldwork_end DATE NOT NULL COMMENT 'Fieldwork end',"
                  + "mode STRING NOT NULL COMMENT 'online_panel, probability_sample, telemetry or mixed',"
                  + "licence STRING NOT NULL COMMENT 'Licence of the source',"
                  + "redistributable BOOLEAN NOT NULL COMMENT 'May the figure be republished',"
                  + "republishes STRING COMMENT 'Source whose numbers this one republishes',"
                  + "publisher STRING COMMENT 'Publisher',"
                  + "citation_url STRING COMMENT 'Where the figure was published',"
                  + "country_raw STRING COMMENT 'Country as the source spells it',"
                  + "source_file STRING COMMENT 'Input file',"
                  + "source_line INT COMMENT 'Line in the input file'"),
          List.of(),
          List.of("country_iso3", "source", "wave", "metric"),
          Map.of(
              "value_range", "value >= 0 AND value <= 100",
              "ci_order", "ci_low IS NULL OR (ci_low <= value AND value <= ci_high)"));

  public static final TableSpec USAGE_DAILY =
      new TableSpec(
          "silver.usage_daily",
          "Usage per day, country and model, attributed to root models. Synthetic sample logs."
              + " No personal data; cells under k distinct clients are suppressed.",
          StructType.fromDDL(
              "date DATE NOT NULL COMMENT 'Event date (UTC)',"
                  + "country_iso3 STRING NOT NULL COMMENT 'Country of the client, ISO3',"
                  + "model_id STRING NOT NULL COMMENT 'Model used or downloaded',"
                  + "root_model_id STRING NOT NULL COMMENT 'Root the usage is credited to',"
                  + "credit DOUBLE NOT NULL COMMENT 'Share credited to the root',"
                  + "origin_iso3 STRING COMMENT 'Developer country of the root',"
                  + "open_weights BOOLEAN NOT NULL COMMENT 'Open-weights flag of the model',"
                  + "downloads DOUBLE NOT NULL COMMENT 'De-duplicated, non-bot downloads x credit',"
                  + "requests DOUBLE NOT NULL COMMENT 'Successful API requests x credit',"
                  + "tokens_in DOUBLE NOT NULL COMMENT 'Input tokens x credit',"
                  + "tokens_out DOUBLE NOT NULL COMMENT 'Output tokens x credit',"
                  + "active_users BIGINT COMMENT 'App monthly active users (first day of month rows)'"),
          List.of("date"),
          List.of("date", "country_iso3", "model_id", "root_model_id"),
          Map.of("nonneg", "downloads >= 0 AND requests >= 0"));

  public static final TableSpec COUNTRY_SCORECARD =
      new TableSpec(
          "gold.country_scorecard",
          "Trust in AI against open-model uptake: one row per country x period x trust metric x"
              + " uptake metric, ranked among countries with both values.",
          StructType.fromDDL(
              "country_iso3 STRING NOT NULL COMMENT 'Country, ISO3',"
                  + "country_name STRING NOT NULL COMMENT 'Short English name',"
                  + "period INT NOT NULL COMMENT 'Calendar year',"
                  + "trust_metric STRING NOT NULL COMMENT 'Trust metric',"
                  + "trust_value DOUBLE NOT NULL COMMENT 'Mean over sources of each source latest value, percent',"
                  + "trust_ci_low DOUBLE COMMENT 'Mean of the sources lower bounds',"
                  + "trust_ci_high DOUBLE COMMENT 'Mean of the sources upper bounds',"
                  + "trust_rank INT NOT NULL COMMENT '1 = highest trust (SQL RANK)',"
                  + "trust_rank_best INT COMMENT 'Best rank the trust interval allows',"
                  + "trust_rank_worst INT COMMENT 'Worst rank the trust interval allows',"
                  + "uptake_metric STRING NOT NULL COMMENT 'Uptake metric',"
                  + "uptake_value DOUBLE NOT NULL COMMENT 'Uptake value',"
                  + "uptake_rank INT NOT NULL COMMENT '1 = highest uptake (SQL RANK)',"
                  + "rank_gap INT NOT NULL COMMENT 'uptake_rank - trust_rank (positive: uptake lags trust)',"
                  + "quadrant STRING NOT NULL COMMENT 'high/low trust x high/low uptake vs the medians',"
                  + "share_cn DOUBLE COMMENT 'Share of open-model uptake from Chinese developers',"
                  + "share_us DOUBLE COMMENT 'Share from US developers',"
                  + "share_other DOUBLE COMMENT 'Share from other developers',"
                  + "income_group STRING COMMENT 'World Bank income group',"
                  + "developing BOOLEAN COMMENT 'Low or middle income',"
                  + "n_countries INT NOT NULL COMMENT 'Countries ranked on this question and uptake measure',"
                  + "trust_sources STRING NOT NULL COMMENT 'Sources and waves behind the trust value',"
                  + "uptake_source STRING COMMENT 'Source of the uptake value',"
                  + "sources STRING NOT NULL COMMENT 'All sources behind the row',"
                  + "licences STRING NOT NULL COMMENT 'Licences of those sources',"
                  + "redistributable BOOLEAN NOT NULL COMMENT 'False if any source forbids republication'"),
          List.of("period"),
          List.of("country_iso3", "period", "trust_metric", "uptake_metric"),
          Map.of(
              "ranks_positive", "trust_rank >= 1 AND uptake_rank >= 1",
              "rank_interval",
                  "trust_rank_best IS NULL OR (trust_rank_best <= trust_rank AND trust_rank <= trust_rank_worst)",
              "shares_unit",
                  "(share_cn IS NULL OR (share_cn >= 0 AND share_cn <= 1)) AND (share_us IS NULL OR (share_us >= 0 AND share_us <= 1)) AND (share_other IS NULL OR (share_other >= 0 AND share_other <= 1))"));

  public static final TableSpec TRUST_UPTAKE_CORRELATION =
      new TableSpec(
          "gold.trust_uptake_correlation",
          "Correlation of trust with uptake across ranked countries, per country group.",
          StructType.fromDDL(
              "period INT NOT NULL COMMENT 'Calendar year',"
                  + "trust_metric STRING NOT NULL COMMENT 'Trust metric',"
                  + "uptake_metric STRING NOT NULL COMMENT 'Uptake metric',"
                  + "country_group STRING NOT NULL COMMENT 'all, developing or developed',"
                  + "n INT NOT NULL COMMENT 'Countries in the group with both values',"
                  + "pearson_r DOUBLE COMMENT 'Pearson r (null when n < 4)',"
                  + "pearson_ci_low DOUBLE COMMENT '95% CI of r by Fisher z',"
                  + "pearson_ci_high DOUBLE COMMENT '95% CI of r by Fisher z',"
                  + "spearman_rho DOUBLE COMMENT 'Spearman rank correlation (null when n < 4)'"),
          List.of("period"),
          List.of("period", "trust_metric", "uptake_metric", "country_group"),
          Map.of("r_range", "pearson_r IS NULL OR (pearson_r >= -1 AND pearson_r <= 1)"));

  public static final TableSpec MODEL_REACH =
      new TableSpec(
          "gold.model_reach",
          "Per root model and period: derivatives, downloads of the root vs its derivatives.",
          StructType.fromDDL(
              "root_model_id STRING NOT NULL COMMENT 'Root model',"
                  + "period INT NOT NULL COMMENT 'Calendar year',"
                  + "developer STRING COMMENT 'Developer of the root',"
                  + "origin_iso3 STRING COMMENT 'Developer country',"
                  + "derivative_count INT NOT NULL COMMENT 'Registry models descending from the root',"
                  + "root_downloads DOUBLE NOT NULL COMMENT 'Downloads of the root itself',"
                  + "derivative_downloads DOUBLE NOT NULL COMMENT 'Credited downloads of its derivatives',"
                  + "derivative_multiplier DOUBLE COMMENT 'derivative_downloads / root_downloads',"
                  + "countries_reached INT NOT NULL COMMENT 'Countries with any credited download'"),
          List.of("period"),
          List.of("root_model_id", "period"),
          Map.of("nonneg", "root_downloads >= 0 AND derivative_downloads >= 0"));

  public static final TableSpec QUARANTINE =
      new TableSpec(
          "ops.quarantine",
          "Every input row or cell that could not be used, with the reason.",
          StructType.fromDDL(
              "run_id STRING NOT NULL COMMENT 'Run that quarantined the row',"
                  + "run_date DATE NOT NULL COMMENT 'Date of the run that quarantined the row',"
                  + "step STRING NOT NULL COMMENT 'Step that quarantined the row',"
                  + "source STRING NOT NULL COMMENT 'Source or log kind',"
                  + "location STRING COMMENT 'file:line[:column]',"
                  + "raw STRING COMMENT 'Raw content',"
                  + "reason STRING NOT NULL COMMENT 'Reason code',"
                  + "detail STRING COMMENT 'What was wrong and how to fix it',"
                  + "row_count BIGINT NOT NULL COMMENT 'Input rows this quarantine row stands for',"
                  + "data_date DATE NOT NULL COMMENT 'Date of the data: the log partition (bronze usage),"
                  + " the event date or else the partition (silver usage), the run date otherwise'"),
          List.of("data_date"),
          List.of(),
          Map.of());

  public static final TableSpec RUNS =
      new TableSpec(
          "ops.runs",
          "One row per run: inputs, counts, expectations, output versions, status.",
          StructType.fromDDL(
              "run_id STRING NOT NULL COMMENT 'Run id',"
                  + "run_date DATE NOT NULL COMMENT 'Run date processed',"
                  + "command STRING NOT NULL COMMENT 'Command run (nightly, bronze, ...)',"
                  + "started_at TIMESTAMP NOT NULL COMMENT 'Start (UTC)',"
                  + "finished_at TIMESTAMP COMMENT 'End (UTC)',"
                  + "duration_s DOUBLE COMMENT 'Wall time in seconds',"
                  + "status STRING NOT NULL COMMENT 'success, failed or expectation_failed',"
                  + "code_version STRING COMMENT 'Code version',"
                  + "config STRING COMMENT 'Settings (JSON, secrets removed)',"
                  + "input_files ARRAY<STRING> COMMENT 'Input files and partitions read',"
                  + "versions_read MAP<STRING,BIGINT> COMMENT 'Delta versions read per table',"
                  + "output_versions MAP<STRING,BIGINT> COMMENT 'Delta versions written per table',"
                  + "step_counts ARRAY<STRUCT<step:STRING,source:STRING,rows_in:BIGINT,rows_out:BIGINT,rows_quarantined:BIGINT>> COMMENT 'Conservation counts per step and source',"
                  + "expectations ARRAY<STRUCT<name:STRING,table_name:STRING,level:STRING,passed:BOOLEAN,failed_rows:BIGINT,detail:STRING>> COMMENT 'Expectation results',"
                  + "error STRING COMMENT 'Error message when the run failed'"),
          List.of(),
          List.of("run_id"),
          Map.of());

  /** All tables by SPEC name, in dependency order. */
  public static final Map<String, TableSpec> ALL = index();

  private static Map<String, TableSpec> index() {
    Map<String, TableSpec> m = new LinkedHashMap<>();
    for (TableSpec t :
        List.of(
            SURVEY_SOURCES,
            SURVEY_CELLS,
            DOWNLOAD_EVENTS,
            API_REQUESTS,
            APP_MAU,
            COUNTRIES,
            MODELS,
            COUNTRY_MEASURES,
            USAGE_DAILY,
            COUNTRY_SCORECARD,
            TRUST_UPTAKE_CORRELATION,
            MODEL_REACH,
            QUARANTINE,
            RUNS)) {
      m.put(t.name(), t);
    }
    return java.util.Collections.unmodifiableMap(m);
  }
}
