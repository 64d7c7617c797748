package org.trustatlas.sql;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.trustatlas.testing.SparkTestSession;

@ExtendWith(SparkTestSession.class)
class SqlTest {
  @Test
  void sparkReadsAQuotedStringBackAsItWas() {
    List<String> texts =
        List.of(
            "",
            "plain",
            "it's",
            "''",
            "C:\\logs\\d=1\\a.gz",
            "ends with a backslash\\",
            "\\'",
            "tab\there, new\nline",
            "\"double\" and `back` quotes",
            "Türkiye 東京 😀");
    for (String text : texts) {
      assertThat(SparkTestSession.get().sql("SELECT " + Sql.quote(text)).first().getString(0))
          .as("literal %s", Sql.quote(text))
          .isEqualTo(text);
    }
  }
}
