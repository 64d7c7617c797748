package org.trustatlas.config;

import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/** Recognises settings that hold credentials so they are never printed or written. */
public final class Secrets {
  private static final Pattern SECRET_KEY =
      Pattern.compile(".*(secret|password|token|credential|access\\.key|session\\.key|salt).*");

  private Secrets() {}

  public static boolean isSecretKey(String key) {
    return SECRET_KEY.matcher(key.toLowerCase(Locale.ROOT)).matches();
  }

  /** Replaces every secret value found in {@code text} by {@code ***}. */
  public static String redact(String text, Map<String, String> settings) {
    if (text == null) {
      return null;
    }
    String out = text;
    for (Map.Entry<String, String> e : settings.entrySet()) {
      String v = e.getValue();
      if (isSecretKey(e.getKey()) && v != null && v.length() >= 4) {
        out = out.replace(v, "***");
      }
    }
    return out;
  }
}
