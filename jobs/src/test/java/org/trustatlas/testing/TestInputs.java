package org.trustatlas.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** Small copies of data-samples/ for the tests that start whole JVMs, so they stay quick. */
public final class TestInputs {
  private static final Pattern PARTITION = Pattern.compile("/logs/[^/]+/date=([0-9-]+)/");

  private TestInputs() {}

  /**
   * The reference data, two real survey waves (Ipsos 2024 with its aggregate column, Edelman 2025)
   * and one day of synthetic download logs.
   */
  public static Path mini() {
    Path samples = SparkTestSession.repoRoot().resolve("data-samples");
    Path in = SparkTestSession.tmp("mini-input");
    for (String part :
        List.of(
            "reference",
            "surveys/ipsos-ai-monitor-2024",
            "surveys/edelman-trust-barometer-2025",
            "logs/downloads/date=2025-04-20")) {
      copy(samples.resolve(part), in.resolve(part));
    }
    return in;
  }

  public static void copy(Path from, Path to) {
    try (Stream<Path> s = Files.walk(from)) {
      for (Path p : (Iterable<Path>) s::iterator) {
        Path t = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(t);
        } else {
          Files.createDirectories(t.getParent());
          Files.copy(p, t);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Copies {@code data-samples/} to {@code target} keeping only the usage-log partitions of {@code
   * dates} and, when {@code surveys} is not null, only those survey folders. Returns the absolute
   * path of the copy.
   */
  public static Path dataSamples(Path target, Set<String> dates, Set<String> surveys) {
    Path src = SparkTestSession.repoRoot().resolve("data-samples").toAbsolutePath().normalize();
    Path dst = target.toAbsolutePath();
    try (Stream<Path> files = Files.walk(src)) {
      for (Path f : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
        String rel = src.relativize(f).toString().replace('\\', '/');
        Matcher m = PARTITION.matcher("/" + rel);
        if (m.find() && !dates.contains(m.group(1))) {
          continue;
        }
        if (surveys != null
            && rel.startsWith("surveys/")
            && rel.indexOf('/', "surveys/".length()) > 0
            && !surveys.contains(rel.split("/")[1])) {
          continue;
        }
        Path to = dst.resolve(rel);
        Files.createDirectories(to.getParent());
        Files.copy(f, to);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return dst;
  }
}
