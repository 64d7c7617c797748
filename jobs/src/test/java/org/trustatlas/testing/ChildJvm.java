package org.trustatlas.testing;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/** Starts Spark's own entry points (SparkSubmit, Master, Worker) in separate JVMs for tests. */
public final class ChildJvm {
  /** Jars the spark-submit jar bundles; a cluster does not have them. */
  private static final List<String> BUNDLED =
      List.of(
          "/io/delta/",
          "/info/picocli/",
          "jackson-dataformat-yaml",
          "/org/yaml/snakeyaml/",
          "/org/jfree/");

  public static final List<String> OPENS =
      List.of(
          "--add-opens=java.base/java.lang=ALL-UNNAMED",
          "--add-opens=java.base/java.lang.invoke=ALL-UNNAMED",
          "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED",
          "--add-opens=java.base/java.io=ALL-UNNAMED",
          "--add-opens=java.base/java.net=ALL-UNNAMED",
          "--add-opens=java.base/java.nio=ALL-UNNAMED",
          "--add-opens=java.base/java.util=ALL-UNNAMED",
          "--add-opens=java.base/java.util.concurrent=ALL-UNNAMED",
          "--add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED",
          "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
          "--add-opens=java.base/sun.nio.cs=ALL-UNNAMED",
          "--add-opens=java.base/sun.security.action=ALL-UNNAMED",
          "--add-opens=java.base/sun.util.calendar=ALL-UNNAMED",
          "-Djdk.reflect.useDirectMethodHandle=false",
          "-Dio.netty.tryReflectionSetAccessible=true");

  private ChildJvm() {}

  /**
   * The class path a Spark installation would have: Spark, Hadoop and friends, none of our jars.
   */
  public static String sparkClasspath() throws IOException {
    Path compile = Path.of(System.getProperty("atlas.classpath.file"));
    Path runtime = compile.resolveSibling("classpath-runtime.txt");
    Set<String> entries = new LinkedHashSet<>();
    for (Path p : List.of(compile, runtime)) {
      for (String e : Files.readString(p).strip().split(File.pathSeparator)) {
        if (!e.isBlank() && BUNDLED.stream().noneMatch(e::contains)) {
          entries.add(e);
        }
      }
    }
    return String.join(File.pathSeparator, entries);
  }

  public static ProcessBuilder java(
      String classpath, String mainClass, List<String> args, Path log) {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-Xmx1g");
    cmd.add("-Duser.timezone=UTC");
    cmd.addAll(OPENS);
    cmd.add("-cp");
    cmd.add(classpath);
    cmd.add(mainClass);
    cmd.addAll(args);
    ProcessBuilder pb =
        new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
    pb.environment().put("SPARK_SCALA_VERSION", "2.13");
    return pb;
  }

  /** Waits for the process; kills it (and fails) past the timeout. */
  public static int await(Process p, long minutes) throws InterruptedException {
    if (!p.waitFor(minutes, TimeUnit.MINUTES)) {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
      throw new AssertionError("child JVM still running after " + minutes + " min");
    }
    return p.exitValue();
  }
}
