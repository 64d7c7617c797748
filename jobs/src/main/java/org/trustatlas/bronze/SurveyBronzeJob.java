package org.trustatlas.bronze;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.trustatlas.config.ConfigException;
import org.trustatlas.contract.Tables;
import org.trustatlas.io.InputFiles;
import org.trustatlas.io.Quarantine;
import org.trustatlas.run.RunContext;
import org.trustatlas.run.Step;
import org.trustatlas.run.StepCount;

/** Lands every survey and adoption source under {@code <input>/surveys} in bronze. */
public final class SurveyBronzeJob implements Step {
  private static final Logger LOG = LoggerFactory.getLogger(SurveyBronzeJob.class);
  public static final String STEP = "bronze.surveys";
  static final List<String> DESCRIPTOR_NAMES = List.of("source.yaml", "source.yml", "source.json");

  @Override
  public String name() {
    return STEP;
  }

  @Override
  public void run(RunContext ctx) {
    InputFiles files = new InputFiles(ctx.spark());
    String root = InputFiles.join(ctx.config().input(), "surveys");
    List<String> folders = files.folders(root);
    if (folders.isEmpty()) {
      LOG.warn("no survey folders under {}", root);
    }
    List<Row> sources = new ArrayList<>();
    List<Row> cells = new ArrayList<>();
    List<Row> rejected = new ArrayList<>();
    Map<String, String> seenWaves = new HashMap<>();
    for (String folder : folders) {
      String descriptorPath = descriptor(files, folder);
      String folderName = folder.substring(folder.lastIndexOf('/') + 1);
      String text = new String(files.readAll(descriptorPath), StandardCharsets.UTF_8);
      SourceDescriptor d = SourceDescriptor.parse(descriptorPath, text);
      String waveKey = d.source() + "/" + d.wave();
      if (seenWaves.containsKey(waveKey)) {
        throw new ConfigException(
            descriptorPath
                + ": key 'wave': "
                + waveKey
                + " is also declared by "
                + seenWaves.get(waveKey)
                + "; give each folder its own wave");
      }
      seenWaves.put(waveKey, descriptorPath);
      String dataPath = InputFiles.join(folder, d.dataFile());
      if (!files.exists(dataPath)) {
        throw new ConfigException(
            descriptorPath
                + ": key 'file': "
                + dataPath
                + " does not exist; name the data file"
                + " next to the descriptor");
      }
      ctx.input(descriptorPath);
      ctx.input(dataPath);
      SurveyLanding.Landed landed = SurveyLanding.land(d, dataPath, files.readAll(dataPath));
      sources.add(sourceRow(ctx, d, folderName, text));
      for (SurveyLanding.Cell c : landed.cells()) {
        cells.add(cellRow(d.source(), d.wave(), folderName, dataPath, c, ctx.runId()));
      }
      long rejectedLines = 0;
      for (SurveyLanding.Rejected r : landed.rejected()) {
        rejected.add(
            RowFactory.create(
                d.source() + "/" + d.wave(),
                dataPath + ":" + r.line(),
                r.raw(),
                r.reason(),
                r.detail(),
                r.cells()));
        if (r.line() > 0) {
          rejectedLines++;
        }
      }
      // Lines: every data line either landed or was quarantined whole.
      ctx.count(
          new StepCount(
              STEP,
              d.source() + "/" + d.wave(),
              landed.dataLines(),
              landed.dataLines() - rejectedLines,
              rejectedLines));
      LOG.info(
          "  {} {}: {} cells from {} lines, {} line(s) quarantined",
          d.source(),
          d.wave(),
          landed.cells().size(),
          landed.dataLines(),
          rejectedLines);
    }
    var spark = ctx.spark();
    Dataset<Row> sourcesDf = spark.createDataFrame(sources, Tables.SURVEY_SOURCES.schema());
    Dataset<Row> cellsDf = spark.createDataFrame(cells, Tables.SURVEY_CELLS.schema());
    // Bronze holds the latest landing of every source file.
    ctx.outputVersion(
        Tables.SURVEY_SOURCES.name(),
        ctx.warehouse().overwrite(Tables.SURVEY_SOURCES, sourcesDf).version());
    ctx.outputVersion(
        Tables.SURVEY_CELLS.name(),
        ctx.warehouse().overwrite(Tables.SURVEY_CELLS, cellsDf).version());
    Quarantine.write(ctx, STEP, spark.createDataFrame(rejected, Quarantine.ROWS));
  }

  /** A landed cell as a row of bronze.survey_cells. */
  public static Row cellRow(
      String source, String wave, String folder, String file, SurveyLanding.Cell c, String runId) {
    return RowFactory.create(
        source,
        wave,
        folder,
        file,
        c.line(),
        c.columnName(),
        c.countryRaw(),
        c.questionRaw(),
        c.answer(),
        c.answerRaw(),
        c.metric(),
        c.valueRaw(),
        c.nRaw(),
        c.moeRaw(),
        c.raw(),
        runId,
        c.columnIndex());
  }

  private static String descriptor(InputFiles files, String folder) {
    for (String n : DESCRIPTOR_NAMES) {
      String p = InputFiles.join(folder, n);
      if (files.exists(p)) {
        return p;
      }
    }
    throw new ConfigException(
        folder + ": no source descriptor; add source.yaml (see docs/source-descriptor.md)");
  }

  private static Row sourceRow(RunContext ctx, SourceDescriptor d, String folder, String text) {
    return RowFactory.create(
        d.source(),
        d.wave(),
        folder,
        d.publisher(),
        d.title(),
        d.fieldworkStart() == null ? null : java.sql.Date.valueOf(d.fieldworkStart()),
        java.sql.Date.valueOf(d.fieldworkEnd()),
        d.period(),
        d.mode(),
        d.licence(),
        d.redistributable(),
        d.citationUrl(),
        d.republishes(),
        d.scale(),
        d.decimalComma(),
        d.nPerCountry(),
        d.nOverall(),
        scala.jdk.javaapi.CollectionConverters.asScala(d.nByCountry()),
        d.moeOverall(),
        scala.jdk.javaapi.CollectionConverters.asScala(d.pins()),
        text,
        ctx.runId());
  }
}
