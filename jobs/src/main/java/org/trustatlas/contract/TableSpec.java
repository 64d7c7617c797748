package org.trustatlas.contract;

import java.util.List;
import java.util.Map;
import org.apache.spark.sql.types.StructType;

/**
 * One table of the contract: its SPEC name, schema with column comments, partitioning, keys and
 * constraints. It drives table creation, conforming writes, and the tests.
 *
 * @param name the SPEC name, {@code layer.table}
 * @param comment what the table holds, stored as the Delta table comment
 * @param schema columns in contract order, each with a COMMENT
 * @param partitionBy partition columns (may be empty)
 * @param keys columns that identify a row (checked for duplicates)
 * @param checks CHECK constraints by name (SQL boolean expressions)
 * @param statsColumns the columns Delta keeps min/max statistics of for data skipping; empty for
 *     Delta's default (the first 32 columns)
 */
public record TableSpec(
    String name,
    String comment,
    StructType schema,
    List<String> partitionBy,
    List<String> keys,
    Map<String, String> checks,
    List<String> statsColumns) {

  public TableSpec(
      String name,
      String comment,
      StructType schema,
      List<String> partitionBy,
      List<String> keys,
      Map<String, String> checks) {
    this(name, comment, schema, partitionBy, keys, checks, List.of());
  }

  /**
   * This table with statistics kept only for {@code columns}: computing min/max of every string
   * column of every row is a large share of writing a wide, large table.
   */
  public TableSpec withStatsColumns(String... columns) {
    return new TableSpec(name, comment, schema, partitionBy, keys, checks, List.of(columns));
  }

  public String layer() {
    return name.substring(0, name.indexOf('.'));
  }

  public String table() {
    return name.substring(name.indexOf('.') + 1);
  }

  /** Folder of the table under the warehouse root. */
  public String relativePath() {
    return layer() + "/" + table();
  }
}
