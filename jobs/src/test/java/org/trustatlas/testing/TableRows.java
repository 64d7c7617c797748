package org.trustatlas.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import org.apache.spark.sql.Row;
import org.trustatlas.contract.TableSpec;
import org.trustatlas.io.Warehouse;

/** Tables' rows as sorted text, to compare a warehouse before and after something happens. */
public final class TableRows {
  private TableRows() {}

  /**
   * Each table's rows, without the columns {@code drop}, rendered by {@code render} and sorted;
   * keyed by table name.
   */
  public static Map<String, List<String>> sorted(
      Warehouse w, List<TableSpec> tables, Function<Row, String> render, String... drop) {
    Map<String, List<String>> out = new TreeMap<>();
    for (TableSpec t : tables) {
      List<String> rows = new ArrayList<>();
      for (Row r : w.read(t).drop(drop).collectAsList()) {
        rows.add(render.apply(r));
      }
      rows.sort(null);
      out.put(t.name(), rows);
    }
    return out;
  }
}
