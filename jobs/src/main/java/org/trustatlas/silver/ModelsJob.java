package org.trustatlas.silver;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.trustatlas.config.ConfigException;
import org.trustatlas.contract.Tables;
import org.trustatlas.io.InputFiles;
import org.trustatlas.io.Quarantine;
import org.trustatlas.reference.CountryResolver;
import org.trustatlas.reference.Csv;
import org.trustatlas.run.ExpectationResult;
import org.trustatlas.run.RunContext;
import org.trustatlas.run.Step;
import org.trustatlas.run.StepCount;

/**
 * The model registry ({@code <input>/reference/models.csv}) with every model's root(s):
 * silver.models.
 */
public final class ModelsJob implements Step {
  /** The expectation that every root model has a developer country (warn by default). */
  public static final String ROOT_HAS_ORIGIN = "models_root_has_origin";

  public static final String STEP = "silver.models";
  public static final String FILE = "reference/models.csv";

  @Override
  public String name() {
    return STEP;
  }

  /**
   * The registry's path under {@code input}; a configuration error (exit 2) when it is missing,
   * checked by the CLI before any step writes and again here for callers that skip the CLI.
   */
  public static String requireRegistry(InputFiles files, String input) {
    String path = InputFiles.join(input, FILE);
    if (!files.exists(path)) {
      throw new ConfigException(
          path
              + " does not exist: the model registry is required (see data-samples/reference/README.md)");
    }
    return path;
  }

  @Override
  public void run(RunContext ctx) {
    InputFiles files = new InputFiles(ctx.spark());
    String path = requireRegistry(files, ctx.config().input());
    ctx.input(path);
    List<Csv.Record> records;
    try {
      records =
          Csv.read(new StringReader(new String(files.readAll(path), StandardCharsets.UTF_8)), ',');
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    ModelLineage.Result result;
    try {
      result =
          ModelLineage.resolve(
              records,
              ctx.config().mergeCredit(),
              CountryResolver.load(ctx.config().rollUpGreaterChina()));
    } catch (ConfigException e) {
      throw new ConfigException(path + ": " + e.getMessage());
    }
    List<Row> rows = new ArrayList<>();
    Map<String, ModelLineage.Model> models = result.models();
    long missingOrigin = 0;
    for (ModelLineage.Attribution a : result.attributions()) {
      ModelLineage.Model m = a.model();
      ModelLineage.Model root = models.get(a.rootId());
      if (root.developerCountry() == null) {
        missingOrigin++;
      }
      rows.add(
          RowFactory.create(
              m.modelId(),
              m.family(),
              m.developer(),
              m.developerCountry(),
              m.openWeights(),
              m.licence(),
              m.releaseDate() == null ? null : java.sql.Date.valueOf(m.releaseDate()),
              m.relation(),
              scala.jdk.javaapi.CollectionConverters.asScala(m.parents()).toSeq(),
              a.rootId(),
              a.credit(),
              a.depth(),
              a.path(),
              root.developer(),
              root.developerCountry()));
    }
    String level = ctx.config().expectationLevels().getOrDefault(ROOT_HAS_ORIGIN, "warn");
    String detail =
        missingOrigin + " attribution(s) to a root without a (resolvable) developer_country";
    ctx.expectation(
        new ExpectationResult(
            ROOT_HAS_ORIGIN,
            Tables.MODELS.name(),
            level,
            missingOrigin == 0,
            missingOrigin,
            missingOrigin == 0 ? "" : detail));
    if (missingOrigin > 0 && level.equals("fail")) {
      throw new org.trustatlas.quality.DataQualityException(
          "expectation models_root_has_origin failed on silver.models: "
              + detail
              + " — nothing of this step was committed; add developer_country to the roots");
    }
    var df = ctx.spark().createDataFrame(rows, Tables.MODELS.schema());
    ctx.outputVersion(Tables.MODELS.name(), ctx.warehouse().overwrite(Tables.MODELS, df).version());
    List<Row> q = new ArrayList<>();
    for (ModelLineage.Rejected r : result.rejected()) {
      q.add(
          RowFactory.create(
              "reference/models.csv",
              path + ":" + r.line(),
              r.raw() == null ? r.modelId() : r.raw(),
              r.reason(),
              r.detail(),
              1L));
    }
    // The row is in silver.models (without origin): reported, but it stands for no lost row.
    for (ModelLineage.Rejected r : result.unresolvedCountries()) {
      q.add(
          RowFactory.create(
              "reference/models.csv", path + ":" + r.line(), r.raw(), r.reason(), r.detail(), 0L));
    }
    Quarantine.write(ctx, STEP, ctx.spark().createDataFrame(q, Quarantine.ROWS));
    long good = result.rowsIn() - result.rejected().size();
    ctx.count(
        new StepCount(
            STEP, "reference/models.csv", result.rowsIn(), good, result.rejected().size()));
  }
}
