package org.trustatlas.reference;

/** Outcome of resolving one country spelling: an ISO3 code (when resolved) and a status. */
public record Resolution(String iso3, Status status, String via) {

  /** How a spelling resolved. Only {@link #RESOLVED} carries a code. */
  public enum Status {
    RESOLVED,
    AGGREGATE,
    AMBIGUOUS,
    UNRESOLVED;

    public String label() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  public static Resolution resolved(String iso3, String via) {
    return new Resolution(iso3, Status.RESOLVED, via);
  }

  public static Resolution of(Status status, String via) {
    return new Resolution(null, status, via);
  }
}
