package org.trustatlas.run;

/** Outcome of one data-quality expectation on one table in one run. */
public record ExpectationResult(
    String name, String table, String level, boolean passed, long failedRows, String detail) {}
