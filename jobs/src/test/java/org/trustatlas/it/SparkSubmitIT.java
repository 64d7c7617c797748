package org.trustatlas.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.trustatlas.contract.Tables;
import org.trustatlas.io.Warehouse;
import org.trustatlas.testing.ChildJvm;
import org.trustatlas.testing.SparkTestSession;

/**
 * The shaded jar under {@code spark-submit}: {@code org.apache.spark.deploy.SparkSubmit} (the class
 * behind the script) in its own JVM, with only Spark's jars on its class path, as a cluster has.
 */
@ExtendWith(SparkTestSession.class)
class SparkSubmitIT {

  @Test
  void nightlyRunsFromTheShadedJarUnderSparkSubmit() throws Exception {
    Path jar = Path.of(System.getProperty("atlas.shaded.jar"));
    assertThat(jar).exists();
    Path wh = SparkTestSession.tmp("submit-wh");
    Path log = wh.resolveSibling(wh.getFileName() + ".log");
    String input = org.trustatlas.testing.TestInputs.mini().toString();
    Process p =
        ChildJvm.java(
                ChildJvm.sparkClasspath(),
                "org.apache.spark.deploy.SparkSubmit",
                List.of(
                    "--master",
                    "local[2]",
                    "--conf",
                    "spark.ui.enabled=false",
                    "--conf",
                    "spark.sql.shuffle.partitions=4",
                    "--class",
                    "org.trustatlas.cli.AtlasCli",
                    jar.toString(),
                    "nightly",
                    "--date",
                    "2025-04-20",
                    "--input",
                    input,
                    "--warehouse",
                    wh.toString()),
                log)
            .start();
    int code = ChildJvm.await(p, 10);
    String out = Files.readString(log);
    assertThat(code).as(out).isZero();
    assertThat(out).contains("Top countries by trust");
    Warehouse w = new Warehouse(SparkTestSession.get(), wh.toString());
    assertThat(w.read(Tables.COUNTRY_SCORECARD).count()).isPositive();
    assertThat(
            w.read(Tables.COUNTRY_MEASURES)
                .where("country_iso3 = 'IND' AND metric = 'trust_in_ai'")
                .count())
        .isPositive();
    assertThat(w.read(Tables.RUNS).where("status = 'success'").count()).isEqualTo(1);
  }
}
