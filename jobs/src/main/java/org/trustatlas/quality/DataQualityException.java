package org.trustatlas.quality;

/** An expectation set to fail was violated: the step's outputs are not committed (exit 3). */
public class DataQualityException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public DataQualityException(String message) {
    super(message);
  }
}
