package org.trustatlas.generate;

import java.time.LocalDate;
import java.util.SplittableRandom;

/**
 * Times of day for the synthetic events: row {@code i} of {@code n} maps to a time through the
 * inverse of a daily traffic curve (peak around 14:00 UTC), so files are in time order and busier
 * in the afternoon, without holding a day in memory.
 */
final class Diurnal {
  static final long DAY_MS = 86_400_000L;
  private static final int STEPS = 4096;
  private static final double AMPLITUDE = 0.3;
  private static final double PEAK = 14.0 / 24.0;
  private static final double[] INVERSE = inverse();

  private Diurnal() {}

  /** Millisecond of the day for position {@code x} in [0, 1) of the day's rows. */
  static long msOfDay(double x) {
    double p = x * STEPS;
    int i = (int) p;
    if (i >= STEPS) {
      return DAY_MS - 1;
    }
    double t = INVERSE[i] + (INVERSE[i + 1] - INVERSE[i]) * (p - i);
    return Math.min(DAY_MS - 1, Math.max(0, (long) (t * DAY_MS)));
  }

  /** A time on an earlier day, for a late event (uniform over that day). */
  static long randomMs(SplittableRandom rng) {
    return rng.nextLong(DAY_MS);
  }

  private static double cdf(double t) {
    double w = 2 * Math.PI;
    return t + AMPLITUDE / w * (StrictMath.sin(w * (t - PEAK)) - StrictMath.sin(-w * PEAK));
  }

  private static double[] inverse() {
    double[] inv = new double[STEPS + 1];
    for (int i = 0; i <= STEPS; i++) {
      double target = (double) i / STEPS;
      double lo = 0;
      double hi = 1;
      for (int k = 0; k < 60; k++) {
        double mid = (lo + hi) / 2;
        if (cdf(mid) < target) {
          lo = mid;
        } else {
          hi = mid;
        }
      }
      inv[i] = (lo + hi) / 2;
    }
    return inv;
  }

  /** {@code 2025-01-03T12:34:56.789Z}. */
  static void appendIso(StringBuilder b, String isoDate, long msOfDay) {
    long s = msOfDay / 1000;
    int ms = (int) (msOfDay % 1000);
    int h = (int) (s / 3600);
    int m = (int) (s / 60 % 60);
    int sec = (int) (s % 60);
    b.append(isoDate).append('T');
    two(b, h).append(':');
    two(b, m).append(':');
    two(b, sec).append('.');
    if (ms < 100) {
      b.append('0');
    }
    if (ms < 10) {
      b.append('0');
    }
    b.append(ms).append('Z');
  }

  private static StringBuilder two(StringBuilder b, int v) {
    if (v < 10) {
      b.append('0');
    }
    return b.append(v);
  }

  static long epochMicros(LocalDate date, long msOfDay, int micros) {
    return (date.toEpochDay() * DAY_MS + msOfDay) * 1000L + micros;
  }
}
