package org.trustatlas.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.trustatlas.contract.Tables;
import org.trustatlas.io.Warehouse;
import org.trustatlas.testing.ChildJvm;
import org.trustatlas.testing.SparkTestSession;
import org.trustatlas.testing.TestInputs;

/**
 * A real Spark standalone cluster on loopback: a Master and a Worker in their own JVMs, from a
 * {@code SPARK_HOME} whose {@code jars/} links the Maven-resolved Spark runtime (no Delta, no Trust
 * Atlas: the shaded jar brings those). The shaded jar is submitted with {@code SparkSubmit --master
 * spark://…} in client mode; the executors run in JVMs the Worker starts. Everything started here
 * is stopped in {@link #stopCluster()}, whatever the outcome.
 */
@ExtendWith(SparkTestSession.class)
class StandaloneClusterIT {
  static final String LOG4J =
      String.join(
          "\n",
          "rootLogger.level = info",
          "rootLogger.appenderRef.console.ref = console",
          "appender.console.type = Console",
          "appender.console.name = console",
          "appender.console.target = SYSTEM_ERR",
          "appender.console.layout.type = PatternLayout",
          "appender.console.layout.pattern = %d{HH:mm:ss} %p %c{1}: %m%n",
          "logger.delta.name = org.apache.spark.sql.delta",
          "logger.delta.level = warn",
          "logger.storage.name = org.apache.spark.storage",
          "logger.storage.level = warn",
          "logger.codegen.name = org.apache.spark.sql.catalyst.expressions.codegen",
          "logger.codegen.level = warn",
          "logger.native.name = org.apache.hadoop.util.NativeCodeLoader",
          "logger.native.level = error",
          "");

  static final List<Process> started = new ArrayList<>();
  static Path sparkHome;
  static Path logs;
  static String masterUrl;

  @BeforeAll
  static void startCluster() throws Exception {
    Path base = SparkTestSession.tmp("standalone");
    sparkHome = base.resolve("spark-home");
    logs = Files.createDirectories(base.resolve("logs"));
    // SPARK_HOME/jars: links to the Spark runtime jars; the Worker builds executors' class path
    // from it (with SPARK_SCALA_VERSION=2.13, which ChildJvm sets).
    Path jars = Files.createDirectories(sparkHome.resolve("jars"));
    for (String e : ChildJvm.sparkClasspath().split(File.pathSeparator)) {
      Path src = Path.of(e).toAbsolutePath();
      Path link = jars.resolve(src.getFileName());
      if (Files.isRegularFile(src) && src.toString().endsWith(".jar") && !Files.exists(link)) {
        Files.createSymbolicLink(link, src);
      }
    }
    Files.createDirectories(sparkHome.resolve("conf"));
    Files.writeString(sparkHome.resolve("conf/log4j2.properties"), LOG4J);
    Files.createDirectories(sparkHome.resolve("work"));

    int masterPort = freePort();
    masterUrl = "spark://127.0.0.1:" + masterPort;
    Process master =
        start(
            "master",
            "org.apache.spark.deploy.master.Master",
            List.of(
                "--host",
                "127.0.0.1",
                "--port",
                String.valueOf(masterPort),
                "--webui-port",
                String.valueOf(freePort())));
    awaitLog(master, logs.resolve("master.log"), "I have been elected leader");
    Process worker =
        start(
            "worker",
            "org.apache.spark.deploy.worker.Worker",
            List.of(
                "--host",
                "127.0.0.1",
                "--port",
                String.valueOf(freePort()),
                "--webui-port",
                String.valueOf(freePort()),
                "--cores",
                "2",
                "--memory",
                "2g",
                "--work-dir",
                sparkHome.resolve("work").toString(),
                masterUrl));
    awaitLog(worker, logs.resolve("worker.log"), "Successfully registered with master");
  }

  /** Starts one of Spark's entry points with SPARK_HOME's class path, as its scripts do. */
  static Process start(String name, String mainClass, List<String> args) throws IOException {
    String cp = sparkHome.resolve("conf") + File.pathSeparator + sparkHome.resolve("jars") + "/*";
    ProcessBuilder pb = ChildJvm.java(cp, mainClass, args, logs.resolve(name + ".log"));
    // No REST submission server (it would take the fixed port 6066).
    pb.command().add(1, "-Dspark.master.rest.enabled=false");
    pb.environment().put("SPARK_HOME", sparkHome.toString());
    pb.directory(sparkHome.toFile());
    Process p = pb.start();
    synchronized (started) {
      started.add(p);
    }
    return p;
  }

  static void awaitLog(Process p, Path log, String line) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
    while (!(Files.exists(log) && Files.readString(log).contains(line))) {
      if (!p.isAlive() || System.nanoTime() > deadline) {
        throw new AssertionError(
            "no '"
                + line
                + "' in "
                + log
                + ":\n"
                + (Files.exists(log) ? Files.readString(log) : ""));
      }
      Thread.sleep(100);
    }
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  /** Stops, newest first, every JVM started here and the executors they started. */
  @AfterAll
  static void stopCluster() throws InterruptedException {
    List<Process> all;
    synchronized (started) {
      all = new ArrayList<>(started);
      started.clear();
    }
    for (int i = all.size() - 1; i >= 0; i--) {
      Process p = all.get(i);
      List<ProcessHandle> children = p.descendants().toList();
      p.destroy();
      children.forEach(ProcessHandle::destroy);
      if (!p.waitFor(30, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        p.waitFor(30, TimeUnit.SECONDS);
      }
      for (ProcessHandle c : children) {
        try {
          c.onExit().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
          c.destroyForcibly();
        }
      }
    }
  }

  @Test
  void nightlyRunsOnAStandaloneClusterFromTheShadedJar() throws Exception {
    Path jar = Path.of(System.getProperty("atlas.shaded.jar")).toAbsolutePath();
    assertThat(jar).exists();
    Path base = sparkHome.getParent();
    Path input =
        TestInputs.dataSamples(base.resolve("input"), Set.of("2025-04-19", "2025-04-20"), null);
    Path wh = base.resolve("warehouse").toAbsolutePath();
    Process submit =
        start(
            "submit",
            "org.apache.spark.deploy.SparkSubmit",
            List.of(
                "--master",
                masterUrl,
                "--deploy-mode",
                "client",
                "--conf",
                "spark.executor.memory=1g",
                "--conf",
                "spark.cores.max=2",
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
                input.toString(),
                "--warehouse",
                wh.toString()));
    int code = ChildJvm.await(submit, 15);
    String out = Files.readString(logs.resolve("submit.log"));
    assertThat(code).as(tail(out)).isZero();
    assertThat(out).contains("Top countries by trust").contains("Granted executor ID");

    // The executors were JVMs of their own, started by the Worker, and ran tasks.
    Path work = sparkHome.resolve("work");
    List<Path> executorLogs;
    try (Stream<Path> s = Files.walk(work)) {
      executorLogs =
          s.filter(p -> p.getFileName().toString().equals("stderr"))
              .filter(p -> p.getParent().getParent().getFileName().toString().startsWith("app-"))
              .toList();
    }
    assertThat(executorLogs).isNotEmpty();
    assertThat(executorLogs)
        .anySatisfy(l -> assertThat(Files.readString(l)).contains("Finished task"));

    Warehouse w = new Warehouse(SparkTestSession.get(), wh.toString());
    assertThat(w.read(Tables.COUNTRY_SCORECARD).count()).isPositive();
    assertThat(w.read(Tables.TRUST_UPTAKE_CORRELATION).count()).isPositive();
    assertThat(
            w.read(Tables.COUNTRY_MEASURES)
                .where(
                    "source = 'edelman_trust_barometer' AND wave = '2025'"
                        + " AND metric = 'trust_in_ai' AND country_iso3 = 'IND'")
                .selectExpr("value")
                .head()
                .getDouble(0))
        .isEqualTo(77.0);
    assertThat(w.read(Tables.USAGE_DAILY).where("date = DATE'2025-04-20'").count()).isPositive();
    assertThat(w.read(Tables.RUNS).where("status = 'success'").count()).isEqualTo(1);
    // The sample's two cut lines of 2025-04-20, rejected on the executors, reached the driver
    // (the landing collects them as it writes) and quarantine.
    assertThat(
            w.read(Tables.QUARANTINE)
                .where(
                    "step = 'bronze.usage.downloads' AND reason = 'malformed_line'"
                        + " AND data_date = DATE'2025-04-20' AND raw IS NOT NULL")
                .count())
        .isEqualTo(2);
  }

  static String tail(String s) {
    return s.length() < 8000 ? s : s.substring(s.length() - 8000);
  }
}
