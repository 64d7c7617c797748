package org.trustatlas.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The kinds of a landing run at the same time; results and failures come back as they were. */
class ConcurrentlyTest {
  @Test
  void everyKeyRunsAtTheSameTimeAndResultsComeBackInKeyOrder() {
    // Each waits for all three to have started: run one after another, they would time out.
    CountDownLatch started = new CountDownLatch(3);
    var results =
        Concurrently.apply(
            List.of("c", "a", "b"),
            k -> {
              started.countDown();
              try {
                return started.await(10, TimeUnit.SECONDS) ? k + k : "alone";
              } catch (InterruptedException e) {
                throw new IllegalStateException(e);
              }
            });
    assertThat(results.keySet()).containsExactly("c", "a", "b");
    assertThat(results.values()).containsExactly("cc", "aa", "bb");
  }

  @Test
  void theFirstFailureInKeyOrderIsThrownAsItWasOnceTheOthersHaveFinished() {
    var finished = ConcurrentHashMap.<String>newKeySet();
    assertThatThrownBy(
            () ->
                Concurrently.apply(
                    List.of("ok", "checked", "unchecked", "slow"),
                    k -> {
                      switch (k) {
                        case "checked" ->
                            throw Concurrently.<RuntimeException>rethrow(
                                new IOException("checked failure"));
                        case "unchecked" -> throw new IllegalArgumentException("second failure");
                        case "slow" -> {
                          try {
                            Thread.sleep(300);
                          } catch (InterruptedException e) {
                            throw new IllegalStateException(e);
                          }
                        }
                        default -> {}
                      }
                      finished.add(k);
                      return k;
                    }))
        .isInstanceOf(IOException.class)
        .hasMessage("checked failure");
    assertThat(finished).containsExactlyInAnyOrder("ok", "slow");
  }
}
