package org.trustatlas.generate;

import java.util.SplittableRandom;

/**
 * Stable synthetic clients per country: IPv4 addresses for downloads, user ids for API calls. Each
 * address belongs to exactly one country (disjoint ranges), the same clients come back day after
 * day, and a few heavy clients make many requests, so distinct-client counts per date, country and
 * model look like real ones (small countries have only a handful).
 */
final class ClientPool {
  /** Public-looking first octets: no 0, 10, 100 (CGNAT), 127, 169, 172, 192, 198, 203, 224+. */
  private static final int[] FIRST_OCTETS = firstOctets();

  private static final long SPACE = (long) FIRST_OCTETS.length << 24;
  private static final long MULTIPLIER = coprime(2_654_435_761L, SPACE);

  private final long[] humanStart;
  private final int[] humanSize;
  private final long[] botStart;
  private final int[] botSize;
  private final long salt;

  /**
   * @param eventsPerClient average events per client and day (downloads ~3, API calls ~20)
   */
  ClientPool(
      CountryTable countries, long eventsPerDay, double eventsPerClient, long seed, long kind) {
    int n = countries.size();
    humanStart = new long[n];
    humanSize = new int[n];
    botStart = new long[n];
    botSize = new int[n];
    salt = Mix.mix64(seed ^ kind);
    long next = 0;
    for (CountryTable.Country c : countries.all()) {
      double expected = eventsPerDay * c.share();
      int humans =
          (int) Math.min(Integer.MAX_VALUE / 2, Math.max(4, Math.ceil(expected / eventsPerClient)));
      int bots = (int) Math.max(1, Math.min(50, Math.ceil(humans / 500.0)));
      humanStart[c.index()] = next;
      humanSize[c.index()] = humans;
      next += humans;
      botStart[c.index()] = next;
      botSize[c.index()] = bots;
      next += bots;
    }
  }

  /** A human client of {@code country}: heavy users come up more often. */
  long human(int country, SplittableRandom rng) {
    double u = rng.nextDouble();
    int idx = (int) (humanSize[country] * u * Math.sqrt(u)); // u^1.5: sqrt is exact IEEE
    return humanStart[country] + Math.min(idx, humanSize[country] - 1);
  }

  long bot(int country, SplittableRandom rng) {
    return botStart[country] + rng.nextInt(botSize[country]);
  }

  /**
   * The client's IPv4 address: an affine bijection of the client number over the public-looking
   * address space, so distinct clients always get distinct addresses, spread over many blocks.
   */
  String ip(long client) {
    long l = Math.floorMod(client * MULTIPLIER % SPACE + Math.floorMod(salt, SPACE), SPACE);
    int octet = FIRST_OCTETS[(int) (l >>> 24)];
    int low = (int) (l & 0xFFFFFF);
    return octet + "." + ((low >>> 16) & 0xFF) + "." + ((low >>> 8) & 0xFF) + "." + (low & 0xFF);
  }

  /** The API user id of a client: a bijection of its number, so ids never collide. */
  String userId(long client) {
    return "usr_" + hex16(Mix.mix64(client ^ salt));
  }

  /** A stable per-client hash (for choosing its user agent). */
  long clientHash(long client) {
    return Mix.mix64(client * 0x9E3779B97F4A7C15L ^ salt);
  }

  static String hex16(long v) {
    String h = Long.toHexString(v);
    return "0000000000000000".substring(h.length()) + h;
  }

  private static long coprime(long start, long modulus) {
    long a = start;
    while (java.math.BigInteger.valueOf(a).gcd(java.math.BigInteger.valueOf(modulus)).longValue()
        != 1) {
      a++;
    }
    return a;
  }

  private static int[] firstOctets() {
    int[] tmp = new int[224];
    int n = 0;
    for (int o = 1; o < 224; o++) {
      if (o == 10 || o == 100 || o == 127 || o == 169 || o == 172 || o == 192 || o == 198
          || o == 203) {
        continue;
      }
      tmp[n++] = o;
    }
    return java.util.Arrays.copyOf(tmp, n);
  }
}
