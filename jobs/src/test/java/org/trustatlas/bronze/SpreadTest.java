package org.trustatlas.bronze;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** How many tasks a night's download files are spread over. */
class SpreadTest {
  static final long MB = 1L << 20;

  static int spread(int cores, int files, long bytes) {
    return UsageBronzeJob.spreadOver(
        cores, files, bytes, 16 * MB, UsageBronzeJob.SPREAD_BYTES_PER_TASK, true);
  }

  @Test
  void oneLargeFileIsSpreadOverTheCoresCappedByBytes() {
    assertThat(spread(2, 1, 173 * MB)).isEqualTo(2);
    // 173 MiB in 16 MiB shares: 11 tasks, not one per core of a large cluster.
    assertThat(spread(64, 1, 173 * MB)).isEqualTo(11);
    assertThat(spread(64, 1, 20 * MB)).isEqualTo(2);
  }

  @Test
  void asManyFilesAsTasksOrASmallInputIsNotSpread() {
    assertThat(spread(2, 2, 346 * MB)).isZero();
    assertThat(spread(64, 3, 40 * MB)).as("3 shares of 16 MiB, 3 files").isZero();
    assertThat(spread(2, 1, 10 * MB)).as("interpreted, below compileFromBytes").isZero();
    assertThat(UsageBronzeJob.spreadOver(2, 1, 173 * MB, 16 * MB, 16 * MB, false)).isZero();
  }
}
