package org.trustatlas.reference;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.List;

/**
 * A small RFC 4180 reader that keeps the physical line number of every record, so errors and
 * quarantine rows can say exactly where they came from. Quoted fields may span lines.
 */
public final class Csv {

  /** One record: its fields, the 1-based physical line it starts on, and its raw text. */
  public record Record(List<String> fields, int line, String raw, boolean unterminatedQuote) {}

  private Csv() {}

  /** Reads every record of {@code in}; a leading UTF-8 byte-order mark is dropped. */
  public static List<Record> read(Reader in, char delimiter) throws IOException {
    BufferedReader r = in instanceof BufferedReader b ? b : new BufferedReader(in);
    List<Record> out = new ArrayList<>();
    String lineText;
    int lineNo = 0;
    while ((lineText = r.readLine()) != null) {
      lineNo++;
      if (lineNo == 1 && !lineText.isEmpty() && lineText.charAt(0) == '\uFEFF') {
        lineText = lineText.substring(1);
      }
      int start = lineNo;
      StringBuilder raw = new StringBuilder(lineText);
      List<String> fields = new ArrayList<>();
      StringBuilder cur = new StringBuilder();
      boolean quoted = false;
      boolean fieldWasQuoted = false;
      String text = lineText;
      int i = 0;
      while (true) {
        if (i >= text.length()) {
          if (quoted) {
            String next = r.readLine();
            if (next == null) {
              fields.add(cur.toString());
              out.add(new Record(fields, start, raw.toString(), true));
              return out;
            }
            lineNo++;
            raw.append('\n').append(next);
            cur.append('\n');
            text = next;
            i = 0;
            continue;
          }
          break;
        }
        char c = text.charAt(i);
        if (quoted) {
          if (c == '"') {
            if (i + 1 < text.length() && text.charAt(i + 1) == '"') {
              cur.append('"');
              i += 2;
              continue;
            }
            quoted = false;
          } else {
            cur.append(c);
          }
        } else if (c == '"' && cur.toString().isBlank() && !fieldWasQuoted) {
          quoted = true;
          fieldWasQuoted = true;
          cur.setLength(0);
        } else if (c == delimiter) {
          fields.add(fieldWasQuoted ? cur.toString() : cur.toString().strip());
          cur.setLength(0);
          fieldWasQuoted = false;
        } else {
          cur.append(c);
        }
        i++;
      }
      fields.add(fieldWasQuoted ? cur.toString() : cur.toString().strip());
      out.add(new Record(fields, start, raw.toString(), false));
    }
    return out;
  }

  /** True when every field of the record is blank (an empty line). */
  public static boolean isBlank(Record r) {
    for (String f : r.fields()) {
      if (!f.isBlank()) {
        return false;
      }
    }
    return true;
  }
}
