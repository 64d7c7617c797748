package org.trustatlas.bronze;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.trustatlas.testing.SparkTestSession;

/** The user-agent classes bronze gives: CI jobs, bots, and everyone else. */
@ExtendWith(SparkTestSession.class)
class UaClassTest {
  @Test
  void botsAndCiJobsAreKnownByTheirAgentsAndAPhoneNamedCubotIsNoBot() {
    var rows =
        SparkTestSession.get()
            .sql(
                "SELECT * FROM VALUES ('GitHub-Actions/2.0'), ('python-requests/2.31.0'),"
                    + " ('Mozilla/5.0 (compatible; Googlebot/2.1)'), ('curl/8.4.0'),"
                    + " ('Mozilla/5.0 (Linux; Android 10; CUBOT_X30) Mobile'),"
                    + " ('Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0'), (NULL) AS t(ua)")
            .select(UsageBronzeJob.uaClass(org.apache.spark.sql.functions.col("ua")))
            .collectAsList();
    assertThat(rows.stream().map((Row r) -> r.getString(0)).toList())
        .containsExactly("ci", "bot", "bot", "bot", "client", "client", "client");
  }
}
