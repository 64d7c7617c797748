package org.trustatlas.bronze;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.io.compress.CompressionCodecFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.trustatlas.run.RunContext;

/**
 * The header of an app-actives file: its four columns, named on line 1 in any order. A file whose
 * line 1 is not that header (none, a row of data, another delimiter) cannot be read by name.
 */
final class MauHeader {
  private MauHeader() {}

  /** Why line 1 of {@code file} is not the header, with the fix; null when it is. */
  static String mismatch(RunContext ctx, String file) {
    List<String> found = columns(ctx, file);
    if (found == null) {
      return null; // a gzip stream cut short: the landing salvages what it can
    }
    List<String> missing = new ArrayList<>();
    for (String want : UsageBronzeJob.MAU_CSV.fieldNames()) {
      if (!found.contains(want)) {
        missing.add(want);
      }
    }
    if (missing.isEmpty()) {
      return null;
    }
    return "line 1 is not the header "
        + String.join(",", UsageBronzeJob.MAU_CSV.fieldNames())
        + " (comma-separated, any order): it lacks "
        + String.join(", ", missing)
        + " (line 1: "
        + found
        + "); no line of the file was read: add the header or fix the delimiter, and re-deliver";
  }

  /** The columns of {@code file} in its header's order, all text; unknown ones kept, unused. */
  static StructType schema(RunContext ctx, String file) {
    StructType out = new StructType();
    List<String> names = columns(ctx, file);
    if (names == null || !names.containsAll(List.of(UsageBronzeJob.MAU_CSV.fieldNames()))) {
      return UsageBronzeJob.MAU_CSV; // nothing to read by name (an empty salvaged file)
    }
    for (int i = 0; i < names.size(); i++) {
      String name = names.get(i);
      boolean known = List.of(UsageBronzeJob.MAU_CSV.fieldNames()).contains(name);
      out =
          out.add(known && names.indexOf(name) == i ? name : "_unused_" + i, DataTypes.StringType);
    }
    return out;
  }

  /** Lines of {@code file} that are not blank (those readable, in a gzip stream cut short). */
  static long nonBlankLines(RunContext ctx, String file) {
    long n = 0;
    try (BufferedReader in = open(ctx, file)) {
      for (String l; (l = in.readLine()) != null; ) {
        n += l.isBlank() ? 0 : 1;
      }
      return n;
    } catch (java.io.EOFException | java.util.zip.ZipException e) {
      return n; // a gzip stream cut short: the lines before the cut
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  /**
   * Line 1's fields, trimmed and lower-cased (a byte-order mark and quotes dropped); null when a
   * gzip stream ends before it.
   */
  private static List<String> columns(RunContext ctx, String file) {
    String first;
    try (BufferedReader in = open(ctx, file)) {
      first = in.readLine();
    } catch (java.io.EOFException | java.util.zip.ZipException e) {
      return null;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
    }
    List<String> out = new ArrayList<>();
    if (first == null) {
      return out;
    }
    for (String f : first.replace("\uFEFF", "").split(",", -1)) {
      out.add(f.strip().replace("\"", "").toLowerCase(Locale.ROOT));
    }
    return out;
  }

  private static BufferedReader open(RunContext ctx, String file) throws IOException {
    var conf = ctx.spark().sparkContext().hadoopConfiguration();
    Path p = new Path(file);
    var in = p.getFileSystem(conf).open(p);
    var codec = new CompressionCodecFactory(conf).getCodec(p);
    return new BufferedReader(
        new InputStreamReader(
            codec == null ? in : codec.createInputStream(in), StandardCharsets.UTF_8));
  }
}
