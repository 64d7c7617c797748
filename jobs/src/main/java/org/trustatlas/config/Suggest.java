package org.trustatlas.config;

import java.util.Collection;
import java.util.Locale;

/** "Did you mean" for misspelt keys: the closest allowed key within a small edit distance. */
public final class Suggest {
  private Suggest() {}

  public static String closest(String key, Collection<String> allowed) {
    String best = null;
    int bestD = Integer.MAX_VALUE;
    for (String a : allowed) {
      int d = distance(key.toLowerCase(Locale.ROOT), a.toLowerCase(Locale.ROOT));
      if (d < bestD) {
        bestD = d;
        best = a;
      }
    }
    return bestD <= Math.max(2, key.length() / 3) ? best : null;
  }

  /** " (did you mean 'x'?)" for the closest allowed key, or "" when none is close. */
  public static String hint(String key, Collection<String> allowed) {
    String near = closest(key, allowed);
    return near == null ? "" : " (did you mean '" + near + "'?)";
  }

  static int distance(String a, String b) {
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length()];
  }
}
