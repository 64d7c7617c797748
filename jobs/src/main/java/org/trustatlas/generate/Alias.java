package org.trustatlas.generate;

import java.util.SplittableRandom;

/** Walker's alias table: draws an index with probability proportional to its weight in O(1). */
final class Alias {
  private final double[] prob;
  private final int[] alias;

  private Alias(double[] prob, int[] alias) {
    this.prob = prob;
    this.alias = alias;
  }

  /** A table over {@code weights} (non-negative, at least one positive). */
  static Alias of(double[] weights) {
    int n = weights.length;
    double sum = 0;
    for (double w : weights) {
      if (w < 0 || Double.isNaN(w)) {
        throw new IllegalArgumentException("negative or NaN weight");
      }
      sum += w;
    }
    if (n == 0 || sum <= 0) {
      throw new IllegalArgumentException("no positive weight");
    }
    double[] scaled = new double[n];
    int[] small = new int[n];
    int[] large = new int[n];
    int ns = 0;
    int nl = 0;
    for (int i = 0; i < n; i++) {
      scaled[i] = weights[i] * n / sum;
      if (scaled[i] < 1.0) {
        small[ns++] = i;
      } else {
        large[nl++] = i;
      }
    }
    double[] prob = new double[n];
    int[] alias = new int[n];
    while (ns > 0 && nl > 0) {
      int s = small[--ns];
      int l = large[--nl];
      prob[s] = scaled[s];
      alias[s] = l;
      scaled[l] = scaled[l] + scaled[s] - 1.0;
      if (scaled[l] < 1.0) {
        small[ns++] = l;
      } else {
        large[nl++] = l;
      }
    }
    while (nl > 0) {
      int l = large[--nl];
      prob[l] = 1.0;
      alias[l] = l;
    }
    while (ns > 0) {
      int s = small[--ns];
      prob[s] = 1.0;
      alias[s] = s;
    }
    return new Alias(prob, alias);
  }

  int size() {
    return prob.length;
  }

  int sample(SplittableRandom rng) {
    int i = rng.nextInt(prob.length);
    return rng.nextDouble() < prob[i] ? i : alias[i];
  }
}
