package org.trustatlas.quality;

/**
 * A declared data-quality expectation: rows matching {@code violation} (a SQL predicate) break it.
 *
 * @param name unique name, also the key to override its level in the configuration
 * @param table the SPEC table it guards
 * @param violation SQL predicate true for a bad row
 * @param level what a violation does: warn (record), drop (quarantine the row) or fail (exit 3)
 * @param reason quarantine reason code for dropped rows
 */
public record Expectation(
    String name, String table, String violation, String level, String reason) {

  public Expectation {
    if (!level.matches("warn|drop|fail")) {
      throw new IllegalArgumentException("level must be warn, drop or fail: " + level);
    }
  }
}
