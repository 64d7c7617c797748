package org.trustatlas.cli;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.Callable;
import org.trustatlas.reference.CountryResolver;
import org.trustatlas.reference.Resolution;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** Country tools for debugging a quarantine. */
@Command(
    name = "countries",
    mixinStandardHelpOptions = true,
    description = "Country reference tools.",
    subcommands = {CountriesCommand.Resolve.class})
final class CountriesCommand implements Runnable {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new picocli.CommandLine.ParameterException(
        spec.commandLine(), "missing subcommand: resolve");
  }

  @Command(
      name = "resolve",
      mixinStandardHelpOptions = true,
      description = {
        "Resolves country spellings: the NAMEs given, or one per line from standard input.",
        "Prints input<TAB>ISO3<TAB>status, status: resolved, aggregate, ambiguous, unresolved."
      })
  static final class Resolve implements Callable<Integer> {
    @Parameters(arity = "0..*", paramLabel = "NAME")
    List<String> names;

    @Option(
        names = "--roll-up-greater-china",
        description = "Count Hong Kong, Macao and Taiwan as China (off by default).")
    boolean rollUp;

    @Spec picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
      CountryResolver resolver = CountryResolver.load(rollUp);
      PrintWriter out = spec.commandLine().getOut();
      if (names != null && !names.isEmpty()) {
        names.forEach(n -> print(out, resolver, n));
      } else {
        BufferedReader in =
            new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String line; (line = in.readLine()) != null; ) {
          print(out, resolver, line);
        }
      }
      out.flush();
      return AtlasCli.OK;
    }

    private static void print(PrintWriter out, CountryResolver resolver, String name) {
      Resolution r = resolver.resolve(name);
      out.println(name + "\t" + (r.iso3() == null ? "" : r.iso3()) + "\t" + r.status().label());
    }
  }
}
