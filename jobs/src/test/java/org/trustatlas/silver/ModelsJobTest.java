package org.trustatlas.silver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.trustatlas.testing.DatasetAssert.assertRows;
import static org.trustatlas.testing.DatasetAssert.row;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.trustatlas.contract.Tables;
import org.trustatlas.io.Warehouse;
import org.trustatlas.testing.Cli;
import org.trustatlas.testing.SparkTestSession;

/** silver.models through the command line: developer_country spellings and their quarantine. */
@ExtendWith(SparkTestSession.class)
class ModelsJobTest {

  @Test
  void developerCountrySpellingsBecomeIso3AndAnUnknownOneIsQuarantined() throws Exception {
    SparkSession spark = SparkTestSession.get();
    Path in = SparkTestSession.tmp("models-country-input");
    Files.createDirectories(in.resolve("reference"));
    Files.writeString(
        in.resolve("reference/models.csv"),
        "model_id,family,developer,developer_country,open_weights,licence,release_date,base_model,relation\n"
            + "cn/root,F,Org,CN,true,mit,2025-01-01,,\n"
            + "us/root,F,Org,United States,true,mit,2025-01-01,,\n"
            + "nowhere/root,F,Org,Narnia,true,mit,2025-01-01,,\n"
            + "x/cn-ft,F,X,,true,mit,2025-02-01,cn/root,finetune\n");
    Path warehouse = SparkTestSession.tmp("models-country-wh");
    Cli.Result r =
        Cli.run(
            "silver",
            "--date",
            "2025-04-20",
            "--input",
            in.toString(),
            "--warehouse",
            warehouse.toString());
    assertThat(r.exitCode()).as(r.err()).isZero();
    Warehouse wh = new Warehouse(spark, warehouse.toString());
    assertRows(
        wh.read(Tables.MODELS),
        List.of("model_id", "developer_country", "root_model_id", "origin_iso3"),
        row("cn/root", "CHN", "cn/root", "CHN"),
        row("us/root", "USA", "us/root", "USA"),
        row("nowhere/root", null, "nowhere/root", null),
        row("x/cn-ft", null, "cn/root", "CHN"));
    Row q = wh.read(Tables.QUARANTINE).where("step = 'silver.models'").head();
    assertThat(q.<String>getAs("reason")).isEqualTo("unresolved_country");
    assertThat(q.<String>getAs("location")).endsWith("reference/models.csv:4");
    assertThat(q.<String>getAs("detail")).contains("'Narnia'").contains("ISO 3166");
    assertThat(wh.read(Tables.QUARANTINE).where("step = 'silver.models'").count()).isEqualTo(1);
    // The row is in silver.models: counted as out, so in = out + quarantined still holds.
    Row run = wh.read(Tables.RUNS).head();
    for (Row c : run.<Row>getList(run.fieldIndex("step_counts"))) {
      if (c.getString(0).equals(ModelsJob.STEP)) {
        assertThat(List.of(c.getLong(2), c.getLong(3), c.getLong(4))).containsExactly(4L, 4L, 0L);
      }
    }
  }
}
