package org.trustatlas.run;

/** Conservation count of one step for one source: rows in = rows out + rows quarantined. */
public record StepCount(
    String step, String source, long rowsIn, long rowsOut, long rowsQuarantined) {

  public boolean conserved() {
    return rowsIn == rowsOut + rowsQuarantined;
  }
}
