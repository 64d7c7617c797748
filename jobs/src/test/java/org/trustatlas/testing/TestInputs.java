package org.trustatlas.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** Small copies of data-samples/ for the tests that start whole JVMs, so they stay quick. */
public final class TestInputs {
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
}
