package org.trustatlas.generate;

import java.nio.charset.StandardCharsets;

/** Stable hashing for the generator: the same input gives the same value on every JVM. */
final class Mix {
  private Mix() {}

  /** The SplitMix64 finalizer: a bijection on 64-bit values. */
  static long mix64(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  /** 64-bit FNV-1a of the UTF-8 bytes, then mixed. */
  static long hash(String s) {
    long h = 0xCBF29CE484222325L;
    for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
      h ^= b & 0xFF;
      h *= 0x100000001B3L;
    }
    return mix64(h);
  }

  /** A value in [0, 1) from a hash. */
  static double unit(long h) {
    return (h >>> 11) * 0x1.0p-53;
  }
}
