package org.trustatlas.cli;

import java.io.PrintWriter;
import org.trustatlas.config.ConfigException;
import org.trustatlas.quality.DataQualityException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The one entry point: {@code atlas <command>}. The only place that decides the exit code. */
@Command(
    name = "atlas",
    mixinStandardHelpOptions = true,
    versionProvider = AtlasCli.VersionProvider.class,
    description =
        "Trust Atlas: where is AI trusted, and where (and whose) open models are taken up.",
    subcommands = {
      NightlyCommand.class,
      StepCommand.Bronze.class,
      StepCommand.Silver.class,
      StepCommand.Gold.class,
      QueryCommand.class,
      CountriesCommand.class,
      GenerateCommand.class,
      MaintainCommand.class,
      CommandLine.HelpCommand.class
    },
    footer = {
      "",
      "Exit codes: 0 success, 1 failure, 2 bad command line or configuration,",
      "            3 a data-quality expectation set to fail was violated."
    })
public final class AtlasCli implements Runnable {
  public static final int OK = 0;
  public static final int FAILURE = 1;
  public static final int USAGE = 2;
  public static final int DATA_QUALITY = 3;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "missing command");
  }

  public static void main(String[] args) {
    System.exit(execute(args));
  }

  /** Runs the command line and returns the exit code (tests call this, not main). */
  public static int execute(String... args) {
    return execute(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args);
  }

  public static int execute(PrintWriter out, PrintWriter err, String... args) {
    CommandLine cl = new CommandLine(new AtlasCli());
    cl.setOut(out);
    cl.setErr(err);
    cl.setExecutionExceptionHandler(
        (ex, commandLine, parseResult) -> {
          Throwable root = ex;
          if (root instanceof ConfigException) {
            err.println("atlas: " + root.getMessage());
            return USAGE;
          }
          if (root instanceof DataQualityException || isInvariantViolation(root)) {
            err.println("atlas: data quality: " + root.getMessage());
            return DATA_QUALITY;
          }
          err.println("atlas: failed: " + describe(root));
          return FAILURE;
        });
    cl.setParameterExceptionHandler(
        (ex, a) -> {
          err.println("atlas: " + ex.getMessage());
          ex.getCommandLine().usage(err);
          return USAGE;
        });
    return cl.execute(args);
  }

  /** Delta refuses a write that breaks a NOT NULL or CHECK constraint: nothing was committed. */
  private static boolean isInvariantViolation(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c.getClass().getName().contains("InvariantViolation")) {
        return true;
      }
    }
    return false;
  }

  private static String describe(Throwable t) {
    StringBuilder b = new StringBuilder(String.valueOf(t.getMessage()));
    Throwable c = t.getCause();
    int depth = 0;
    while (c != null && depth++ < 3) {
      if (c.getMessage() != null && !b.toString().contains(c.getMessage())) {
        b.append(" — caused by ").append(c.getMessage());
      }
      c = c.getCause();
    }
    return b.toString();
  }

  static final class VersionProvider implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"trust-atlas " + org.trustatlas.run.Version.get()};
    }
  }
}
