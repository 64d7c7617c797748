package org.trustatlas.report;

import org.trustatlas.run.RunContext;

/** The run's HTML report under the warehouse. */
public final class ReportWriter {
  private ReportWriter() {}

  public static String write(RunContext ctx) {
    return null;
  }
}
