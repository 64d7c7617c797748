package org.trustatlas.run;

/** One job of the pipeline: load inputs, transform, save outputs, for the context's run date. */
public interface Step {
  /** Name used in progress lines, ops.runs and the quarantine ({@code bronze.surveys} ...). */
  String name();

  void run(RunContext ctx);

  /**
   * True when the step's input is large enough for Spark to compile its queries to bytecode; small
   * inputs run faster interpreted (compiling costs seconds per query shape, more than the data).
   */
  default boolean compiles(RunContext ctx) {
    return false;
  }
}
