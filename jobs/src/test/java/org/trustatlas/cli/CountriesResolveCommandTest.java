package org.trustatlas.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.trustatlas.testing.Cli;

/** {@code atlas countries resolve}: from arguments and from standard input, tab-separated. */
class CountriesResolveCommandTest {

  @Test
  void resolvesNamesGivenAsArguments() {
    Cli.Result r =
        Cli.run(
            "countries",
            "resolve",
            "Niger",
            "Nigeria",
            "Congo",
            "Global 28",
            "Atlantis",
            "S. Korea");
    assertThat(r.exitCode()).isZero();
    assertThat(r.out())
        .isEqualTo(
            "Niger\tNER\tresolved\nNigeria\tNGA\tresolved\nCongo\t\tambiguous\nGlobal 28\t\taggregate\n"
                + "Atlantis\t\tunresolved\nS. Korea\tKOR\tresolved\n");
  }

  @Test
  void resolvesOneNamePerLineFromStandardInput() {
    InputStream saved = System.in;
    try {
      System.setIn(
          new ByteArrayInputStream(
              "Việt Nam\nKorea, Rep.\n\nmedian\n".getBytes(StandardCharsets.UTF_8)));
      Cli.Result r = Cli.run("countries", "resolve");
      assertThat(r.exitCode()).isZero();
      assertThat(r.out())
          .isEqualTo(
              "Việt Nam\tVNM\tresolved\nKorea, Rep.\tKOR\tresolved\n\t\tunresolved\nmedian\t\taggregate\n");
    } finally {
      System.setIn(saved);
    }
  }

  @Test
  void hongKongRollsUpOnlyWhenAsked() {
    assertThat(Cli.run("countries", "resolve", "Hong Kong").out())
        .isEqualTo("Hong Kong\tHKG\tresolved\n");
    assertThat(Cli.run("countries", "resolve", "--roll-up-greater-china", "Hong Kong").out())
        .isEqualTo("Hong Kong\tCHN\tresolved\n");
  }

  @Test
  void unknownSubcommandOrFlagExitsTwo() {
    assertThat(Cli.run("countries", "resolv").exitCode()).isEqualTo(2);
    assertThat(Cli.run("countries", "resolve", "--nope").exitCode()).isEqualTo(2);
    assertThat(Cli.run("nope").exitCode()).isEqualTo(2);
    assertThat(Cli.run().exitCode()).isEqualTo(2);
  }
}
