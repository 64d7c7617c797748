package org.trustatlas.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** Small copies of {@code data-samples/} so integration tests stay fast. */
public final class TestInputs {
  private static final Pattern PARTITION = Pattern.compile("/logs/[^/]+/date=([0-9-]+)/");

  private TestInputs() {}

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
