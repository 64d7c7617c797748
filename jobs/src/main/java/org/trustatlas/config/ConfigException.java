package org.trustatlas.config;

/** A bad command line, configuration file or source descriptor: the run stops with exit code 2. */
public class ConfigException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public ConfigException(String message) {
    super(message);
  }

  public ConfigException(String message, Throwable cause) {
    super(message, cause);
  }

  /**
   * Where and why a YAML file does not parse, with the fix: SnakeYAML's own mark (Jackson's
   * location can point at the token before the problem), 1-based; {@code doc} is where the format
   * is described.
   */
  public static String yamlProblem(java.io.IOException e, String doc) {
    if (e.getCause() instanceof org.yaml.snakeyaml.error.MarkedYAMLException m
        && m.getProblemMark() != null) {
      return " at line "
          + (m.getProblemMark().getLine() + 1)
          + ", column "
          + (m.getProblemMark().getColumn() + 1)
          + ": "
          + m.getProblem()
          + (m.getContext() == null ? "" : " (" + m.getContext() + ")")
          + " — fix the syntax there (see "
          + doc
          + ")";
    }
    String where =
        e instanceof com.fasterxml.jackson.core.JsonProcessingException j && j.getLocation() != null
            ? " at line "
                + j.getLocation().getLineNr()
                + ", column "
                + j.getLocation().getColumnNr()
            : "";
    String why =
        e instanceof com.fasterxml.jackson.core.JsonProcessingException j
            ? j.getOriginalMessage()
            : e.getMessage();
    return where
        + ": "
        + String.valueOf(why).lines().findFirst().orElse("")
        + " — fix the syntax (see "
        + doc
        + ")";
  }
}
