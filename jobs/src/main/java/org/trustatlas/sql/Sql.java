package org.trustatlas.sql;

/** Text for the Spark SQL the jobs build. */
public final class Sql {
  private Sql() {}

  /**
   * A string literal that Spark SQL reads back as {@code s}, whatever it holds: file paths and ids
   * come from outside, and Spark reads a backslash in a literal as an escape.
   */
  public static String quote(String s) {
    return "'" + s.replace("\\", "\\\\").replace("'", "\\'") + "'";
  }

  /** A quoted identifier, e.g. the path in {@code delta.`path`}: a backquote in it is doubled. */
  public static String identifier(String s) {
    return "`" + s.replace("`", "``") + "`";
  }
}
