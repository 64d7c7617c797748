package org.trustatlas.bronze;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.trustatlas.reference.Csv;
import org.trustatlas.reference.Folding;

/**
 * Turns one source file into cells (one per country x question x answer) exactly as printed, in any
 * of the three layouts. Lines that cannot be read become quarantine rows; nothing is lost.
 */
public final class SurveyLanding {

  /**
   * One data cell as printed; {@code columnIndex} is its column's 0-based position in the header.
   */
  public record Cell(
      int line,
      String columnName,
      String countryRaw,
      String questionRaw,
      String answer,
      String answerRaw,
      String metric,
      String valueRaw,
      String nRaw,
      String moeRaw,
      String raw,
      int columnIndex) {}

  /** A line (or file) that could not be landed, standing for {@code cells} data cells. */
  public record Rejected(int line, String raw, String reason, String detail, long cells) {}

  /** Cells and rejections of a file, and the number of data lines read. */
  public record Landed(
      List<Cell> cells, List<Rejected> rejected, long dataLines, long linesLanded) {}

  private SurveyLanding() {}

  public static Landed land(SourceDescriptor d, String fileName, byte[] bytes) {
    String text = decode(bytes, d.encoding());
    List<Csv.Record> records;
    try {
      records = Csv.read(new StringReader(text), d.delimiter());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    List<Cell> cells = new ArrayList<>();
    List<Rejected> rejected = new ArrayList<>();
    Csv.Record header = null;
    List<Csv.Record> data = new ArrayList<>();
    for (Csv.Record r : records) {
      // Blank and comment lines are skipped above the header too (a file often opens with a
      // "# Source: ..." note); data rows keep their physical line numbers.
      if (r.line() < d.headerRow() || Csv.isBlank(r)) {
        continue;
      }
      if (header == null) {
        // A header may itself start with the comment prefix (a rank column "#,Country,..."):
        // such a line is the header when it has every column the descriptor reads.
        if (!isComment(d, r) || hasEveryColumn(d, r)) {
          header = r;
        }
        continue;
      }
      if (!isComment(d, r)) {
        data.add(r);
      }
    }
    if (header == null) {
      return emptyFile(
          "",
          fileName
              + " has no header line at or after line "
              + d.headerRow()
              + " (blank and comment lines are skipped): add the header or fix"
              + " format.header_row");
    }
    if (data.isEmpty()) {
      // Checked before the header's columns: a wrong header with no rows under it would otherwise
      // quarantine nothing and the file would vanish without a word.
      return emptyFile(
          header.raw(),
          fileName
              + " has a header (line "
              + header.line()
              + ") but no data lines after it (blank and comment lines are skipped):"
              + " re-export the table with its rows, or remove the file");
    }
    List<String> headers = header.fields();
    data = strayQuotesSplit(d, data, headers.size());
    Layout layout = new Layout(d, headers);
    String mismatch = layout.schemaMismatch(fileName, header.line());
    if (mismatch != null) {
      // A missing, renamed or doubled column makes every line unreadable: quarantine them all.
      for (Csv.Record r : data) {
        rejected.add(
            new Rejected(r.line(), r.raw(), "schema_mismatch", mismatch, layout.cellsPerLine()));
      }
      return new Landed(cells, rejected, data.size(), 0);
    }
    long landed = 0;
    for (Csv.Record r : data) {
      if (r.raw().indexOf('\uFFFD') >= 0) {
        rejected.add(
            new Rejected(
                r.line(),
                r.raw(),
                "encoding_error",
                "bytes that are not valid "
                    + d.encoding()
                    + "; re-save the file as "
                    + d.encoding()
                    + " or set format.encoding to the file's real encoding",
                layout.cellsPerLine()));
        continue;
      }
      List<String> f = trimTrailingEmpty(r.fields(), headers.size());
      if (r.unterminatedQuote() || f.size() != headers.size()) {
        rejected.add(
            new Rejected(
                r.line(),
                r.raw(),
                "malformed_line",
                (r.unterminatedQuote()
                        ? "unterminated quote"
                        : f.size() + " fields where the header has " + headers.size())
                    + "; check the delimiter ("
                    + printable(d.delimiter())
                    + ") and quoting",
                layout.cellsPerLine()));
        continue;
      }
      int before = rejected.size();
      layout.cells(r, f, cells, rejected);
      if (rejected.size() == before) {
        landed++;
      }
    }
    return new Landed(cells, rejected, data.size(), landed);
  }

  /**
   * The records with every block a stray quote swallowed read again line by line. A quote that
   * opens a field and does not close on its line makes the following lines part of that field until
   * the next quote; when one of those lines, read alone, is a whole row of the header's width, the
   * quote was a typo, not a field spanning lines: its line becomes an {@code unterminated quote}
   * record of its own (quarantined as such) and the lines after it are read as the rows they are,
   * each with its own number.
   */
  static List<Csv.Record> strayQuotesSplit(SourceDescriptor d, List<Csv.Record> data, int width) {
    List<Csv.Record> out = new ArrayList<>();
    java.util.ArrayDeque<Csv.Record> todo = new java.util.ArrayDeque<>(data);
    while (!todo.isEmpty()) {
      Csv.Record r = todo.removeFirst();
      int nl = r.raw().indexOf('\n');
      if (nl < 0) {
        out.add(r);
        continue;
      }
      List<Csv.Record> rest;
      try {
        rest = Csv.read(new StringReader(r.raw().substring(nl + 1)), d.delimiter());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      boolean wholeRow =
          rest.stream()
              .anyMatch(
                  x ->
                      x.raw().indexOf('\n') < 0
                          && !x.unterminatedQuote()
                          && trimTrailingEmpty(x.fields(), width).size() == width
                          && !Csv.isBlank(x));
      if (!wholeRow) {
        out.add(r);
        continue;
      }
      String first = r.raw().substring(0, nl);
      out.add(new Csv.Record(List.of(first), r.line(), first, true));
      List<Csv.Record> again = new ArrayList<>();
      for (Csv.Record x : rest) {
        if (!Csv.isBlank(x) && !isComment(d, x)) {
          again.add(
              new Csv.Record(x.fields(), x.line() + r.line(), x.raw(), x.unterminatedQuote()));
        }
      }
      for (int i = again.size() - 1; i >= 0; i--) {
        todo.addFirst(again.get(i));
      }
    }
    return out;
  }

  private static boolean isComment(SourceDescriptor d, Csv.Record r) {
    return r.raw().stripLeading().startsWith(d.commentPrefix());
  }

  /** Whether {@code r}, read as a header, has every column the descriptor reads. */
  private static boolean hasEveryColumn(SourceDescriptor d, Csv.Record r) {
    return new Layout(d, r.fields()).missingColumn() == null;
  }

  /** A file with nothing to land: one file-level {@code empty_file} row standing for no cells. */
  private static Landed emptyFile(String raw, String detail) {
    return new Landed(List.of(), List.of(new Rejected(0, raw, "empty_file", detail, 0)), 0, 0);
  }

  /** Decodes with the declared charset; undecodable bytes become U+FFFD so the line is caught. */
  static String decode(byte[] bytes, String encoding) {
    try {
      return Charset.forName(byteOrderMarked(bytes, encoding))
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPLACE)
          .onUnmappableCharacter(CodingErrorAction.REPLACE)
          .decode(ByteBuffer.wrap(bytes))
          .toString();
    } catch (java.nio.charset.CharacterCodingException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * UTF-16 when the file opens with a UTF-16 byte-order mark (spreadsheets save "Unicode text" so),
   * whatever was declared: read as the declared UTF-8 every line would be noise. Without a mark,
   * UTF-16LE or UTF-16BE when a declared single-byte or UTF-8 file looks like UTF-16 text: NULs in
   * a third or more of its start's odd (LE) or even (BE) bytes and nearly none in the others — text
   * in those encodings holds no NUL. Else {@code declared}.
   */
  private static String byteOrderMarked(byte[] bytes, String declared) {
    boolean le = bytes.length >= 2 && (bytes[0] & 0xFF) == 0xFF && (bytes[1] & 0xFF) == 0xFE;
    boolean be = bytes.length >= 2 && (bytes[0] & 0xFF) == 0xFE && (bytes[1] & 0xFF) == 0xFF;
    if (le || be) {
      return "UTF-16";
    }
    if (declared.toUpperCase(Locale.ROOT).replace("_", "-").matches("UTF-?(16|32).*")) {
      return declared;
    }
    int pairs = Math.min(bytes.length, 4096) / 2;
    int evenNul = 0;
    int oddNul = 0;
    for (int i = 0; i < pairs; i++) {
      evenNul += bytes[2 * i] == 0 ? 1 : 0;
      oddNul += bytes[2 * i + 1] == 0 ? 1 : 0;
    }
    if (pairs >= 4 && oddNul * 3 >= pairs && evenNul * 20 <= pairs) {
      return "UTF-16LE";
    }
    if (pairs >= 4 && evenNul * 3 >= pairs && oddNul * 20 <= pairs) {
      return "UTF-16BE";
    }
    return declared;
  }

  static String key(String header) {
    return header.strip().toLowerCase(Locale.ROOT);
  }

  private static List<String> trimTrailingEmpty(List<String> fields, int want) {
    List<String> f = new ArrayList<>(fields);
    while (f.size() > want && f.get(f.size() - 1).isBlank()) {
      f.remove(f.size() - 1);
    }
    return f;
  }

  /** "2 and 3", "2, 3 and 5". */
  private static String enumerate(List<Integer> items) {
    int last = items.size() - 1;
    String head = String.join(", ", items.subList(0, last).stream().map(String::valueOf).toList());
    return head + " and " + items.get(last);
  }

  private static String printable(char c) {
    return c == '\t' ? "tab" : "'" + c + "'";
  }

  /** The layout-specific part: which columns matter and how a line becomes cells. */
  private static final class Layout {
    private final SourceDescriptor d;
    private final List<String> headers;

    /** Header key to its first position. */
    private final Map<String, Integer> col = new HashMap<>();

    private final Map<String, String> questionToMetric = new HashMap<>();

    Layout(SourceDescriptor d, List<String> headers) {
      this.d = d;
      this.headers = headers;
      for (int i = 0; i < headers.size(); i++) {
        col.putIfAbsent(key(headers.get(i)), i);
      }
      for (SourceDescriptor.MetricMapping m : d.metrics()) {
        if (m.question() != null) {
          questionToMetric.put(Folding.fold(m.question()), m.metric());
        }
      }
    }

    /** The columns the layout reads by name, spelled as in the descriptor. */
    private List<String> usedColumns() {
      List<String> used = new ArrayList<>();
      if (d.countryColumn() != null && !d.layout().equals("crosstab")) {
        used.add(d.countryColumn());
      }
      if (d.layout().equals("wide")) {
        d.metrics().forEach(m -> used.add(m.column()));
      } else {
        used.add(d.questionColumn());
        if (d.valueColumn() != null) {
          used.add(d.valueColumn());
        }
        if (d.answerColumn() != null) {
          used.add(d.answerColumn());
        }
      }
      if (d.nColumn() != null) {
        used.add(d.nColumn());
      }
      if (d.moeColumn() != null) {
        used.add(d.moeColumn());
      }
      return used;
    }

    /** The first used column the header lacks, or null. */
    String missingColumn() {
      for (String c : usedColumns()) {
        if (!col.containsKey(key(c))) {
          return c;
        }
      }
      return null;
    }

    /**
     * Why the header cannot be read as the descriptor says, with the fix: a used column is missing,
     * or printed more than once (which copy is meant would be a guess). Null when it can be read.
     */
    String schemaMismatch(String fileName, int headerLine) {
      String where = fileName + " (line " + headerLine + ": " + headers + ")";
      String missing = missingColumn();
      if (missing != null) {
        return "column '"
            + missing
            + "' is not in the header of "
            + where
            + "; rename it in the file or fix the descriptor";
      }
      for (String c : usedColumns()) {
        List<Integer> at = positions(c);
        if (at.size() > 1) {
          return "column '"
              + c
              + "' is in the header of "
              + where
              + " more than once, at positions "
              + enumerate(at)
              + "; rename one of them in the file";
        }
      }
      return null;
    }

    /** The 1-based positions at which the header prints {@code column}. */
    private List<Integer> positions(String column) {
      List<Integer> at = new ArrayList<>();
      for (int i = 0; i < headers.size(); i++) {
        if (key(headers.get(i)).equals(key(column))) {
          at.add(i + 1);
        }
      }
      return at;
    }

    long cellsPerLine() {
      return switch (d.layout()) {
        case "wide" -> d.metrics().size();
        case "long" -> 1;
        default -> countryColumns().size();
      };
    }

    List<Integer> countryColumns() {
      List<Integer> out = new ArrayList<>();
      java.util.Set<String> skip = new java.util.HashSet<>();
      skip.add(key(d.questionColumn()));
      if (d.answerColumn() != null) {
        skip.add(key(d.answerColumn()));
      }
      if (d.nColumn() != null) {
        skip.add(key(d.nColumn()));
      }
      if (d.moeColumn() != null) {
        skip.add(key(d.moeColumn()));
      }
      d.ignoreColumns().forEach(c -> skip.add(key(c)));
      for (int i = 0; i < headers.size(); i++) {
        if (!skip.contains(key(headers.get(i))) && !headers.get(i).isBlank()) {
          out.add(i);
        }
      }
      return out;
    }

    private String get(List<String> f, String column) {
      return column == null ? null : f.get(col.get(key(column)));
    }

    void cells(Csv.Record r, List<String> f, List<Cell> cells, List<Rejected> rejected) {
      String n = get(f, d.nColumn());
      String moe = get(f, d.moeColumn());
      switch (d.layout()) {
        case "wide" -> {
          String country = get(f, d.countryColumn());
          for (SourceDescriptor.MetricMapping m : d.metrics()) {
            cells.add(
                new Cell(
                    r.line(),
                    m.column(),
                    country,
                    m.column(),
                    m.answer(),
                    null,
                    m.metric(),
                    get(f, m.column()),
                    n,
                    moe,
                    r.raw(),
                    col.get(key(m.column()))));
          }
        }
        case "long" -> {
          String q = get(f, d.questionColumn());
          String metric = questionToMetric.get(Folding.fold(q));
          String answer = answer(get(f, d.answerColumn()));
          if (metric == null || answer == null) {
            rejected.add(unmapped(r, q, metric == null, get(f, d.answerColumn()), 1));
            return;
          }
          cells.add(
              new Cell(
                  r.line(),
                  d.valueColumn(),
                  get(f, d.countryColumn()),
                  q,
                  answer,
                  get(f, d.answerColumn()),
                  metric,
                  get(f, d.valueColumn()),
                  n,
                  moe,
                  r.raw(),
                  col.get(key(d.valueColumn()))));
        }
        default -> {
          String q = get(f, d.questionColumn());
          String metric = questionToMetric.get(Folding.fold(q));
          String answer = answer(get(f, d.answerColumn()));
          List<Integer> countries = countryColumns();
          if (metric == null || answer == null) {
            rejected.add(
                unmapped(r, q, metric == null, get(f, d.answerColumn()), countries.size()));
            return;
          }
          for (int i : countries) {
            cells.add(
                new Cell(
                    r.line(),
                    headers.get(i),
                    headers.get(i),
                    q,
                    answer,
                    get(f, d.answerColumn()),
                    metric,
                    f.get(i),
                    null,
                    null,
                    r.raw(),
                    i));
          }
        }
      }
    }

    private String answer(String printed) {
      if (d.answerColumn() == null) {
        return "agree";
      }
      return printed == null ? null : d.answers().get(printed.strip().toLowerCase(Locale.ROOT));
    }

    private Rejected unmapped(Csv.Record r, String q, boolean question, String answer, long cells) {
      return question
          ? new Rejected(
              r.line(),
              r.raw(),
              "unmapped_question",
              "question '"
                  + q
                  + "' has no metric in the descriptor; add it under metrics to use it",
              cells)
          : new Rejected(
              r.line(),
              r.raw(),
              "unmapped_answer",
              "answer '"
                  + answer
                  + "' is not listed under answers; map it to agree, neutral or disagree",
              cells);
    }
  }
}
