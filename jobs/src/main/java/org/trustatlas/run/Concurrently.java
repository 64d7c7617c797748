package org.trustatlas.run;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;

/** Work that a job runs on several threads at once, Spark sharing the cores among their jobs. */
public final class Concurrently {
  private Concurrently() {}

  /**
   * {@code work} applied to every key at the same time, each on its own thread (Spark shares the
   * cores among their jobs); waits for all. The first failure, in key order, is thrown as it was
   * thrown, once every other has finished.
   */
  public static <K, V> Map<K, V> apply(List<K> keys, Function<K, V> work) {
    ExecutorService pool =
        Executors.newFixedThreadPool(
            keys.size(),
            r -> {
              Thread t = new Thread(r, "atlas-concurrently");
              t.setDaemon(true);
              return t;
            });
    try {
      Map<K, Future<V>> futures = new LinkedHashMap<>();
      for (K key : keys) {
        futures.put(key, pool.submit(() -> work.apply(key)));
      }
      Map<K, V> done = new LinkedHashMap<>();
      Throwable failed = null;
      for (Map.Entry<K, Future<V>> f : futures.entrySet()) {
        try {
          done.put(f.getKey(), f.getValue().get());
        } catch (ExecutionException e) {
          failed = failed == null ? e.getCause() : failed;
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException("interrupted while waiting for concurrent work", e);
        }
      }
      if (failed != null) {
        throw Concurrently.<RuntimeException>rethrow(failed);
      }
      return done;
    } finally {
      pool.shutdownNow();
    }
  }

  /**
   * Throws {@code e} as it is (checked or not); declared to return for {@code throw rethrow(e)}.
   */
  @SuppressWarnings("unchecked")
  public static <T extends Throwable> T rethrow(Throwable e) throws T {
    throw (T) e;
  }
}
