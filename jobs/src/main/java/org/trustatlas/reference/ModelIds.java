package org.trustatlas.reference;

import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Model ids as logs and registries spell them, matched to the registry's own ids. Hugging Face
 * resolves a repository id whatever its case, so {@code Meta-Llama/llama-3.1-8b}, {@code
 * https://huggingface.co/meta-llama/Llama-3.1-8B/tree/main}, {@code meta-llama/Llama-3.1-8B@main}
 * and {@code " meta-llama/Llama-3.1-8B "} all name {@code meta-llama/Llama-3.1-8B}. An id is
 * matched exactly first; otherwise by its {@link #key}, and only when exactly one known id has that
 * key (two registry ids differing only in case match no variant). Nothing else is guessed: a tag
 * ({@code llama3:8b}) or a different name stays unknown.
 */
public final class ModelIds {
  /** A Hugging Face address before the repository id: scheme, host, and the models path. */
  private static final Pattern HUB =
      Pattern.compile(
          "^(?:(?:https?://)?(?:www\\.)?(?:huggingface\\.co|hf\\.co)/|hf://)(?:models/)?");

  private final Set<String> known;
  private final Map<String, String> byKey = new HashMap<>();

  private ModelIds(Collection<String> ids) {
    known = new HashSet<>(ids);
    Set<String> clashing = new HashSet<>();
    for (String id : known) {
      String k = key(id);
      String other = byKey.putIfAbsent(k, id);
      if (other != null && !other.equals(id)) {
        clashing.add(k);
      }
    }
    clashing.forEach(byKey::remove);
  }

  /** A matcher for the registry's ids. */
  public static ModelIds of(Collection<String> ids) {
    return new ModelIds(ids);
  }

  /**
   * The registry id a spelling names: itself when known, else the one known id with its key; null
   * when there is none, or more than one.
   */
  public String canonical(String spelling) {
    if (spelling == null) {
      return null;
    }
    if (known.contains(spelling)) {
      return spelling;
    }
    return byKey.get(key(spelling));
  }

  /**
   * The form every spelling of one id shares: surrounding spaces (no-break spaces too) dropped, a
   * Hugging Face address reduced to its {@code owner/name}, a {@code @revision} and a trailing
   * slash dropped, lower case.
   */
  static String key(String id) {
    String s = trim(id);
    var hub = HUB.matcher(s.toLowerCase(Locale.ROOT));
    if (hub.find()) {
      s = s.substring(hub.end());
      // owner/name, then /tree/main, /resolve/…, /blob/… and the like.
      String[] parts = s.split("/", -1);
      s = parts.length >= 2 ? parts[0] + "/" + parts[1] : s;
    }
    int at = s.indexOf('@');
    if (at > 0) {
      s = s.substring(0, at);
    }
    while (s.endsWith("/")) {
      s = s.substring(0, s.length() - 1);
    }
    return trim(s).toLowerCase(Locale.ROOT);
  }

  private static String trim(String s) {
    int b = 0;
    int e = s.length();
    while (b < e && blank(s.charAt(b))) {
      b++;
    }
    while (e > b && blank(s.charAt(e - 1))) {
      e--;
    }
    return s.substring(b, e);
  }

  private static boolean blank(char c) {
    return Character.isWhitespace(c) || Character.isSpaceChar(c) || c == '\uFEFF';
  }
}
