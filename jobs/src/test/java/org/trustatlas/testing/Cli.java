package org.trustatlas.testing;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.trustatlas.cli.AtlasCli;

/** Runs the command line in-process and captures what it printed. */
public final class Cli {
  public record Result(int exitCode, String out, String err) {}

  private Cli() {}

  public static Result run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = AtlasCli.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
    return new Result(code, out.toString(), err.toString());
  }
}
