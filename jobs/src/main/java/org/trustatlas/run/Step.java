package org.trustatlas.run;

/** One job of the pipeline: load inputs, transform, save outputs, for the context's run date. */
public interface Step {
  /** Name used in progress lines, ops.runs and the quarantine ({@code bronze.surveys} ...). */
  String name();

  void run(RunContext ctx);
}
