package org.trustatlas.testing;

import static org.assertj.core.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

/** Compares a Dataset with expected rows and prints what is missing and what is unexpected. */
public final class DatasetAssert {
  private DatasetAssert() {}

  public static Row row(Object... values) {
    return RowFactory.create(values);
  }

  /**
   * Asserts {@code df} (projected on {@code columns}) holds exactly {@code expected}, in any order.
   */
  public static void assertRows(Dataset<Row> df, List<String> columns, Row... expected) {
    Dataset<Row> projected = df.selectExpr(columns.toArray(new String[0]));
    List<String> actual = new ArrayList<>();
    for (Row r : projected.collectAsList()) {
      actual.add(render(r));
    }
    List<String> want = new ArrayList<>();
    for (Row r : expected) {
      want.add(render(r));
    }
    List<String> missing = new ArrayList<>(want);
    for (String a : actual) {
      missing.remove(a);
    }
    List<String> unexpected = new ArrayList<>(actual);
    for (String w : want) {
      unexpected.remove(w);
    }
    if (!missing.isEmpty() || !unexpected.isEmpty()) {
      fail(
          "rows differ on " + columns + "%n  missing:    %s%n  unexpected: %s",
          missing,
          unexpected);
    }
  }

  static String render(Row r) {
    StringBuilder b = new StringBuilder("[");
    for (int i = 0; i < r.length(); i++) {
      Object v = r.get(i);
      if (v instanceof Double d) {
        v = Math.round(d * 1e6) / 1e6;
      }
      b.append(i == 0 ? "" : ", ").append(v);
    }
    return b.append("]").toString();
  }
}
