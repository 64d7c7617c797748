package org.trustatlas.reference;

import java.text.Normalizer;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Folds a name for lookup: Unicode decomposition with accents removed, lower case, {@code &} as
 * "and", every other non-alphanumeric character as a space, spaces collapsed, a leading "the "
 * dropped. "Côte d’Ivoire", "COTE D'IVOIRE" and "cote d ivoire" fold alike.
 */
public final class Folding {
  private static final Pattern MARKS = Pattern.compile("\\p{M}+");
  private static final Pattern NON_ALNUM = Pattern.compile("[^a-z0-9]+");

  private Folding() {}

  public static String fold(String s) {
    if (s == null) {
      return "";
    }
    String t = Normalizer.normalize(s, Normalizer.Form.NFKD);
    t = MARKS.matcher(t).replaceAll("");
    t = t.toLowerCase(Locale.ROOT);
    t =
        t.replace("ß", "ss")
            .replace("æ", "ae")
            .replace("œ", "oe")
            .replace("ø", "o")
            .replace("đ", "d")
            .replace("ð", "d")
            .replace("ł", "l")
            .replace("ı", "i")
            .replace("þ", "th")
            .replace("&", " and ");
    // Apostrophes join rather than split: "Cote d'Ivoire" -> "cote divoire" is avoided by
    // treating them as spaces, consistently on both sides of the lookup.
    t = NON_ALNUM.matcher(t).replaceAll(" ").strip();
    if (t.startsWith("the ")) {
      t = t.substring(4);
    }
    return t;
  }
}
